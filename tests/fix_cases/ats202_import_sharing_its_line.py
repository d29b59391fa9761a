import pytest; import sys


@pytest.fixture
async def db():
    return sys
