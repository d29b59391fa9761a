import pytest

pytestmark = [pytest.mark.filterwarnings("ignore")]


class TestA:
    def test_sync(self):
        pass


async def test_x():
    pass
