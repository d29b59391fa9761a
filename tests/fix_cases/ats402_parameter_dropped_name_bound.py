import pytest


@pytest.mark.asyncio
async def test_x(
    tmp_path,  # a folder
    event_loop
):
    """Docs."""
    assert event_loop.is_running()


@pytest.mark.asyncio
async def test_y(event_loop, tmp_path):
    pass
