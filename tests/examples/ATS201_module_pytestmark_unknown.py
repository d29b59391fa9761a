# modes: strict auto
# A pytestmark we cannot read may hold the async mark: silent.
import pytest

from .marks import common_marks

pytestmark = common_marks + [pytest.mark.slow]


async def test_unknown_marks():
    pass
