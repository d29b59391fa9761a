import asyncio

import pytest


@pytest.fixture
def marker():
    return 1


@pytest.mark.asyncio
async def test_x(marker, event_loop):
    """Uses event_loop."""
