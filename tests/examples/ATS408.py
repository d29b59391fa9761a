import pytest
import pytest_asyncio

pytestmark = [pytest.mark.asyncio(scope="module")]  # error: ATS408:15


@pytest.mark.asyncio(scope="module")  # error: ATS408:2
async def test_deprecated_keyword():
    pass


@pytest.mark.asyncio(scope="class")  # error: ATS408:2
class TestGroup:
    async def test_method(self):
        pass


# Near misses: the modern keyword, other marks' scope, fixtures' scope.


@pytest.mark.asyncio(loop_scope="module")
async def test_loop_scope():
    pass


@pytest.mark.other(scope="module")
async def test_other_mark():
    pass


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def resource():
    return 1
