import pytest

pytestmark = pytest.mark.usefixtures("db")


async def test_a():
    pass


def test_b():
    pass
