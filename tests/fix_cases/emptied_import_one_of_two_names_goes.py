import os, pytest


@pytest.mark.asyncio
def test_x():
    assert os.sep
