import pytest


@(pytest.mark.asyncio)
def test_x():
    pass
