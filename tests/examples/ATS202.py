# modes: strict auto
import pytest
import pytest_asyncio
from pytest import fixture
from pytest_asyncio import fixture as async_fixture


@pytest.fixture
async def plain_async():  # error(strict): ATS202:1 name=plain_async
    return 1


@pytest.fixture(scope="module", name="renamed")
async def plain_async_with_arguments():  # error(strict): ATS202:1 name=plain_async_with_arguments
    yield 1


@fixture
async def imported_fixture_decorator():  # error(strict): ATS202:1 name=imported_fixture_decorator
    return 1


class TestFixtures:
    @pytest.fixture
    async def method_fixture(self):  # error(strict): ATS202:5 name=method_fixture
        return 1


# -- silent --------------------------------------------------------------------------------


@pytest_asyncio.fixture
async def asyncio_fixture():
    return 1


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def asyncio_fixture_with_arguments():
    yield 1


@async_fixture
async def imported_asyncio_fixture():
    return 1


@pytest.fixture
def sync_fixture():
    return 1


async def not_a_fixture():
    return 1
