import pytest
from pytest_asyncio import fixture


@pytest.fixture
async def db():
    return 1
