import pytest

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def db():
    return 1


async def test_a():
    pass


class TestB:
    async def test_b(self):
        pass
