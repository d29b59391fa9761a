# modes: strict auto
import pytest

skip_on_windows = pytest.mark.skipif(False, reason="example")
pytestmark = [skip_on_windows, pytest.mark.anyio]


async def test_module_mark_list():
    pass
