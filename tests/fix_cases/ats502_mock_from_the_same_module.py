import pytest


async def fetch():
    return 1


from unittest.mock import Mock, patch


@pytest.mark.asyncio
async def test_x():
    with patch("tests.test_x.fetch", new=Mock(return_value=2)):
        pass
