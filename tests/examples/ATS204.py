# modes: strict auto
import pytest
import pytest_asyncio


@pytest.mark.asyncio  # error: ATS204:2 mark=asyncio name=marked_async_fixture
@pytest_asyncio.fixture
async def marked_async_fixture():
    return 1


@pytest.fixture
@pytest.mark.usefixtures("other")  # error: ATS204:2 mark=usefixtures name=fixture_over_mark
def fixture_over_mark():
    return 1


@pytest.mark.parametrize("x", [1])  # error: ATS204:2 mark=parametrize name=two_marks
@pytest.mark.skip  # error: ATS204:2 mark=skip name=two_marks
@pytest.fixture
def two_marks():
    return 1


class TestClass:
    @pytest.mark.asyncio  # error: ATS204:6 mark=asyncio name=method_fixture
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
