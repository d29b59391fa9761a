# modes: strict
# anyio runs the async fixtures of anyio tests and makes each request anyio_backend: a fixture
# wider than anyio's own module-scoped anyio_backend fails with ScopeMismatch at setup.
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="session")
async def pool():  # error: ATS403:1 kind=async name=pool scope=session loop_scope=module why="anyio's own anyio_backend" fix="give anyio_backend scope 'session' (an override in conftest.py), or narrow the fixture's scope"
    return object()


@pytest.fixture(scope="module")
async def cache():  # as wide as anyio_backend: fine
    return object()


@pytest.fixture
async def client():
    return object()


@pytest.fixture(scope="session")
def settings():  # a sync fixture: anyio does not run it
    return {}


async def test_pool(pool, cache, client, settings):
    assert pool and cache and client and settings
