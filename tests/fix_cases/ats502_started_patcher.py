import pytest


async def fetch():
    return 1


from unittest.mock import Mock, patch


@pytest.fixture
def patched():
    return 1


@pytest.mark.asyncio
async def test_x(patched):
    patch("tests.test_x.fetch", new=Mock()).start()
