import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"


async def test_x():
    pass
