import pytest
from unittest import TestCase


@pytest.fixture
async def db():
    return 1


@pytest.fixture
async def cache():
    import pytest_asyncio  # inside the fixture: the decorator sees the module's names
    return pytest_asyncio


class TestA(TestCase):
    async def test_a(self):
        pass


class TestB(TestCase):
    async def test_b(self):
        pass
