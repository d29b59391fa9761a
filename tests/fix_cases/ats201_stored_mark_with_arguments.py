import pytest

module_loop = pytest.mark.asyncio(loop_scope="module")


async def test_x():
    pass
