# modes: strict auto
import pytest
import pytest_asyncio


@pytest.fixture
async def plain_async():  # error(strict): ATS202:1 name=plain_async
    return 1


@pytest_asyncio.fixture
async def asyncio_fixture():
    return 1


def test_sync_requests_plain_async(plain_async):  # error(strict): ATS207:36 name=test_sync_requests_plain_async fixture=plain_async
    pass


def test_sync_requests_on_later_line(
    asyncio_fixture,
    plain_async,  # error(strict): ATS207:5 name=test_sync_requests_on_later_line fixture=plain_async
):
    pass


@pytest.fixture
def sync_fixture_requests_plain_async(plain_async):  # error(strict): ATS207:39 name=sync_fixture_requests_plain_async fixture=plain_async
    return plain_async


class TestClass:
    def test_method(self, plain_async):  # error(strict): ATS207:27 name=test_method fixture=plain_async
        pass


# -- silent --------------------------------------------------------------------------------


def test_sync_requests_asyncio_fixture(asyncio_fixture):
    pass


def test_parameter_with_default(plain_async=None):
    pass


@pytest.mark.asyncio
async def test_async_requests_plain_async(plain_async):
    pass


def helper(plain_async):
    pass


class TestOverride:
    @pytest.fixture
    def plain_async(self):
        return 1

    def test_uses_class_override(self, plain_async):
        pass
