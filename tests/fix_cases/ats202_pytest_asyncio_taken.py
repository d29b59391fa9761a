import pytest

pytest_asyncio = None


@pytest.fixture
async def db():
    return 1
