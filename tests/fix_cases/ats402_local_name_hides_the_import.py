import asyncio

import pytest


@pytest.mark.asyncio
async def test_x(event_loop):
    asyncio = "shadowed"
    assert event_loop.time() and asyncio
