import pytest


@pytest.mark.asyncio(ｓcope="module")
async def test_x():
    pass
