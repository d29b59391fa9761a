import pytest


async def fetch():
    return 1


from unittest.mock import Mock, patch


@pytest.mark.asyncio
async def test_x():
    with patch("tests.test_x.fetch", new=Mock()) as fetched:
        await fetch()
    fetched.assert_called_once()
