import asyncio as aio

import pytest


@pytest.mark.asyncio
async def test_x():
    assert aio.get_event_loop().is_running()
