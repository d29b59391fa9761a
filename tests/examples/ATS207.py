# modes: strict auto
import pytest
import pytest_asyncio


@pytest.fixture
async def plain_async():  # error(strict): ATS202:1 name=plain_async
    return 1


@pytest_asyncio.fixture
async def asyncio_fixture():
    return 1


def test_sync_requests_plain_async(plain_async):  # error(strict): ATS207:36 name=test_sync_requests_plain_async fixture=plain_async where="in asyncio strict mode" fix="decorate the fixture with @pytest_asyncio.fixture"
    pass


def test_sync_requests_on_later_line(
    asyncio_fixture,
    plain_async,  # error(strict): ATS207:5 name=test_sync_requests_on_later_line fixture=plain_async where="in asyncio strict mode" fix="decorate the fixture with @pytest_asyncio.fixture"
):
    pass


@pytest.fixture
def sync_fixture_requests_plain_async(plain_async):  # error(strict): ATS207:39 name=sync_fixture_requests_plain_async fixture=plain_async where="in asyncio strict mode" fix="decorate the fixture with @pytest_asyncio.fixture"
    return plain_async


class TestClass:
    def test_method(self, plain_async):  # error(strict): ATS207:27 name=test_method fixture=plain_async where="in asyncio strict mode" fix="decorate the fixture with @pytest_asyncio.fixture"
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


# A fixture named by usefixtures is requested the same way (reported at the name), once for a
# module's or class's mark.


@pytest.mark.usefixtures("asyncio_fixture", "plain_async")  # error(strict): ATS207:45 name=test_usefixtures fixture=plain_async where="in asyncio strict mode" fix="decorate the fixture with @pytest_asyncio.fixture"
def test_usefixtures():
    pass


@pytest.mark.usefixtures(["plain_async"])  # error(strict): ATS207:27 name=test_a fixture=plain_async where="in asyncio strict mode" fix="decorate the fixture with @pytest_asyncio.fixture"
class TestMarked:
    def test_a(self):
        pass

    def test_b(self):
        pass
