from asyncio import get_event_loop

import pytest


@pytest.mark.asyncio
async def test_x():
    get_event_loop().time()
