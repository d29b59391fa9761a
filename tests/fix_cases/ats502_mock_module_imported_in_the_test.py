import pytest


async def fetch():
    return 1


@pytest.mark.asyncio
async def test_x():
    from unittest import mock as m

    with m.patch("tests.test_x.fetch", new_callable=m.MagicMock):
        pass
