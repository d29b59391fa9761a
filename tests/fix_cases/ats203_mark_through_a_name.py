import pytest
mark = pytest.mark.asyncio


@mark
def test_y():
    pass
