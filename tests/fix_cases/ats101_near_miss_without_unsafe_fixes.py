import pytest


async def fetch():
    return 1


@pytest.mark.asyncio
async def test_x():
    fetch()
