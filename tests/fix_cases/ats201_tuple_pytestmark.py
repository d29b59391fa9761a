import pytest

pytestmark = (pytest.mark.filterwarnings("ignore"),)


async def test_x():
    pass
