# modes: strict auto
import pytest
import pytest_asyncio


@pytest.mark.asyncio  # error: ATS204
@pytest_asyncio.fixture
async def marked_async_fixture():
    return 1


@pytest.fixture
@pytest.mark.usefixtures("other")  # error: ATS204
def fixture_over_mark():
    return 1


@pytest.mark.parametrize("x", [1])  # error: ATS204
@pytest.mark.skip  # error: ATS204
@pytest.fixture
def two_marks():
    return 1


class TestClass:
    @pytest.mark.asyncio  # error: ATS204
    @pytest_asyncio.fixture
    async def method_fixture(self):
        return 1


# -- silent --------------------------------------------------------------------------------


@pytest_asyncio.fixture
async def unmarked_fixture():
    return 1


@pytest.mark.asyncio
async def test_marked_test(unmarked_fixture):
    pass
