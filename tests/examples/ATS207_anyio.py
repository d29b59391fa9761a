# modes: strict auto
# anyio's plugin runs an async fixture only for a test whose fixtures include anyio_backend
# (an anyio mark adds it to async tests only): other sync requesters still get nothing run.
import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def value():
    return 42


@pytest.fixture
def on_anyio(anyio_backend):
    return anyio_backend


def test_sync_requester(value):  # error(strict): ATS207:25 name=test_sync_requester fixture=value where="for a test without anyio_backend..." fix="request anyio_backend..."
    assert value == 42


@pytest.mark.anyio
def test_sync_test_with_an_anyio_mark(value):  # error(strict): ATS207:39 name=test_sync_test_with_an_anyio_mark fixture=value where="for a test without anyio_backend..." fix="request anyio_backend..."
    pass


@pytest.mark.usefixtures("on_anyio_unused", "value")  # error(strict): ATS207:45 name=test_through_usefixtures fixture=value where="for a test without anyio_backend..." fix="request anyio_backend..."
def test_through_usefixtures():
    pass


class TestAutouse:
    @pytest.fixture(autouse=True)
    async def plain_autouse(self):
        return None

    def test_sync(self):  # error(strict): ATS207:5 name=test_sync fixture=plain_autouse where="for a test without anyio_backend..." fix="request anyio_backend..."
        pass

    def test_with_backend(self, anyio_backend):
        pass


# -- silent: the test's fixtures include anyio_backend, or the requester is a fixture -------


def test_requests_the_backend(value, anyio_backend):
    pass


def test_requests_it_through_a_fixture(value, on_anyio):
    pass


@pytest.mark.usefixtures("anyio_backend")
def test_requests_it_through_usefixtures(value):
    pass


@pytest.fixture
def sync_fixture(value):
    return value


@pytest.mark.anyio
async def test_async_test_with_an_anyio_mark(value):
    assert value == 42
