# modes: strict auto
import pytest
import pytest_asyncio


@pytest.fixture
async def plain_async():  # error(strict): ATS202
    return 1


@pytest_asyncio.fixture
async def asyncio_fixture():
    return 1


def test_sync_requests_plain_async(plain_async):  # error(strict): ATS207
    pass


def test_sync_requests_on_later_line(
    asyncio_fixture,
    plain_async,  # error(strict): ATS207
):
    pass


@pytest.fixture
def sync_fixture_requests_plain_async(plain_async):  # error(strict): ATS207
    return plain_async


class TestClass:
    def test_method(self, plain_async):  # error(strict): ATS207
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
