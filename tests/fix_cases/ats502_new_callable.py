import pytest


async def fetch():
    return 1


from unittest import mock


@pytest.mark.asyncio
async def test_x():
    with mock.patch("tests.test_x.fetch", new_callable=mock.MagicMock):
        pass
