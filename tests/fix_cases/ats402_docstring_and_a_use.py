import asyncio

import pytest


@pytest.mark.asyncio
async def test_x(event_loop):
    """Docs."""
    del event_loop
