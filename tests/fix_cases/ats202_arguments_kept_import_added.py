import asyncio

import pytest


@pytest.fixture(scope="module", autouse=True)
async def ready():
    await asyncio.sleep(0)


@pytest.fixture
async def other():
    return 1


@pytest.fixture
def sync_one():
    return 2
