# modes: strict auto
import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module", loop_scope="function")
async def module_client():  # error: ATS403:1 name=module_client scope=module loop_scope=function kind=async why="its loop_scope" fix="set loop_scope='module' on the fixture"
    yield object()


@pytest_asyncio.fixture(scope="session", loop_scope="module")
async def session_pool():  # error: ATS403:1 name=session_pool scope=session loop_scope=module kind=async why="its loop_scope" fix="set loop_scope='session' on the fixture"
    return object()


class TestGroup:
    @pytest_asyncio.fixture(scope="class", loop_scope="function")
    async def class_resource(self):  # error: ATS403:5 name=class_resource scope=class loop_scope=function kind=async why="its loop_scope" fix="set loop_scope='class' on the fixture"
        return object()


# Near misses: the loop lives at least as long as the fixture, or a scope is computed.


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def same_scopes():
    return object()


@pytest_asyncio.fixture(loop_scope="session")
async def wider_loop():
    return object()


@pytest_asyncio.fixture(scope="session")
async def loop_scope_follows_scope_when_no_default_is_set():
    return object()


def pick_scope(fixture_name, config):
    return "session"


@pytest_asyncio.fixture(scope=pick_scope, loop_scope="function")
async def computed_scope():
    return object()


LOOP_SCOPE = "function"


@pytest_asyncio.fixture(scope="module", loop_scope=LOOP_SCOPE)
async def computed_loop_scope():
    return object()


@pytest.fixture(scope="session")
def sync_session_fixture():
    return object()


@pytest.fixture(scope="session")
def sync_fixture_under_plain_pytest_fixture():
    yield object()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
def sync_fixture_under_pytest_asyncio_with_its_loop():
    return object()


# pytest-asyncio runs a sync def under @pytest_asyncio.fixture in its loop too: the same ScopeMismatch.


@pytest_asyncio.fixture(scope="module", loop_scope="function")
def sync_fixture_under_pytest_asyncio():  # error: ATS403:1 kind=pytest_asyncio name=sync_fixture_under_pytest_asyncio scope=module loop_scope=function why="its loop_scope" fix="set loop_scope='module' on the fixture"
    return object()


@pytest_asyncio.fixture(scope="session", loop_scope="class")
def sync_generator_fixture_under_pytest_asyncio():  # error: ATS403:1 kind=pytest_asyncio name=sync_generator_fixture_under_pytest_asyncio scope=session loop_scope=class why="its loop_scope" fix="set loop_scope='session' on the fixture"
    yield object()
