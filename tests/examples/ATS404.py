# modes: strict auto
import asyncio

import aiohttp
import asyncpg
import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import create_async_engine


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def engine():
    yield asyncio.get_running_loop().create_future()  # a Future of the session loop


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_data():
    return object()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def started():
    return asyncio.create_task(create_tables())


@pytest_asyncio.fixture
async def connection(engine):  # error: ATS404:22 name=connection own=function fixture=engine other=session what="hands over a Future of it"
    return engine


@pytest.mark.asyncio
async def test_default_loop(engine):  # error: ATS404:29 name=test_default_loop own=function fixture=engine other=session what="hands over a Future of it"
    assert engine


@pytest.mark.asyncio(loop_scope="module")
async def test_module_loop(
    engine,  # error: ATS404:5 name=test_module_loop own=module fixture=engine other=session what="hands over a Future of it"
    module_data,
):
    assert engine and module_data


@pytest.mark.asyncio(loop_scope="session")
async def test_session_loop_with_function_loop_fixture(engine, connection):  # error: ATS404:64 name=test_session_loop_with_function_loop_fixture own=session fixture=connection other=function what="hands over a Future of it"
    assert engine is connection


@pytest.mark.asyncio(loop_scope="session")
class TestSessionLoop:
    async def test_in_class(self, engine):
        assert engine

    @pytest.mark.asyncio
    async def test_own_mark_is_closest(self, engine):  # error: ATS404:46 name=test_own_mark_is_closest own=function fixture=engine other=session what="hands over a Future of it"
        assert engine


# Near misses: the same loop, sync consumers, sync fixtures, computed scopes, setup-only fixtures.


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def schema() -> None:
    await create_tables()  # hands nothing over: found on advanced-alchemy's suite


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def seeded():
    await create_tables()
    yield
    await create_tables()


@pytest.mark.asyncio
async def test_setup_only_fixtures(schema, seeded):
    assert schema is None


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def background_worker():
    task = asyncio.create_task(create_tables())  # a task of the session loop
    yield
    task.cancel()


@pytest.mark.asyncio
async def test_fixture_with_a_task(background_worker):  # error: ATS404:36 name=test_fixture_with_a_task own=function fixture=background_worker other=session what="starts tasks in it"
    assert background_worker is None


async def create_tables():
    pass


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def worker_handle(background_worker):
    return {"worker": "running"}


@pytest.mark.asyncio
async def test_through_a_requested_fixture(worker_handle):  # error: ATS404:44 name=test_through_a_requested_fixture own=function fixture=worker_handle other=session what="requests 'background_worker', which starts tasks in it"
    assert worker_handle


@pytest.mark.asyncio
async def test_task_handed_over(started):  # error: ATS404:33 name=test_task_handed_over own=function fixture=started other=session what="starts tasks in it"
    assert started


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def pool():
    pool = await asyncpg.create_pool("postgresql://app@localhost/app")
    yield pool
    await pool.close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def engine_on_asyncpg():
    engine = create_async_engine("postgresql+asyncpg://app@localhost/app")
    yield engine
    await engine.dispose()


@pytest.mark.asyncio
async def test_clients_of_another_loop(http, pool):  # error: ATS404:40 name=test_clients_of_another_loop own=function fixture=http other=session what="hands over a ClientSession of it" ; ATS404:46 name=test_clients_of_another_loop own=function fixture=pool other=module what="hands over a Pool of it"
    assert http.closed is False and pool is not None


@pytest.mark.asyncio
async def test_an_engine_connects_where_it_is_first_used(engine_on_asyncpg):
    assert engine_on_asyncpg.url


# What crosses loops fine (tests/test_runtime_premises.py runs each with real pytest-asyncio):
# plain data, an httpx client on ASGITransport, an aiosqlite AsyncSession, an unused Lock.


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def plain_data():
    return {"id": 1}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def lock():
    return asyncio.Lock()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def unknown_value():
    return make_something()


@pytest.mark.asyncio
async def test_harmless_values(plain_data, lock, unknown_value):
    async with lock:
        assert plain_data and unknown_value


def make_something():
    return object()


@pytest.mark.asyncio(loop_scope="session")
async def test_same_loop(engine):
    assert engine


def test_sync_consumer(sync_value):
    assert sync_value


@pytest.fixture(scope="session")
def sync_value():
    return 1


@pytest.mark.asyncio
async def test_sync_fixture_of_any_scope(sync_value):
    assert sync_value


@pytest_asyncio.fixture(scope="session", loop_scope="session")
def sync_fixture_with_loop_scope():
    return 1


@pytest.mark.asyncio
async def test_sync_fixture_with_loop_scope(sync_fixture_with_loop_scope):
    assert sync_fixture_with_loop_scope


LOOP = "session"


@pytest.mark.asyncio(loop_scope=LOOP)
async def test_computed_loop_scope(engine):
    assert engine


@pytest.mark.anyio
async def test_run_by_anyio(engine):
    assert engine


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("value", [pytest.param(1, marks=pytest.mark.asyncio(loop_scope="function"))])
async def test_param_marks(engine, value):
    assert engine


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def session_consumer(engine):
    return engine


# -- through the project's own code: a method that starts a task, an object that keeps its loop --


class Broker:
    def __init__(self):
        self.queue = None

    async def start(self):
        self.queue = asyncio.Queue()
        self.task = asyncio.create_task(self.run())

    async def run(self):
        while True:
            await self.queue.get()

    async def ping(self):
        return "pong"


class Application:
    def __init__(self):
        self.loop = None

    async def startup(self):
        self.loop = asyncio.get_running_loop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def broker():
    broker = Broker()
    await broker.start()
    yield broker


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def application():
    application = Application()
    await application.startup()
    return application


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def loop_keeper():
    keeper = Application()
    keeper.loop = asyncio.get_running_loop()
    return keeper


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pinged_broker():
    broker = Broker()
    await broker.ping()  # starts nothing
    return broker


@pytest.mark.asyncio
async def test_broker(broker):  # error: ATS404:23 name=test_broker own=function fixture=broker other=session what="starts tasks in it (in 'broker.start')"
    broker.queue.put_nowait("job")


@pytest.mark.asyncio
async def test_application(application, loop_keeper, pinged_broker):  # error: ATS404:28 name=test_application own=function fixture=application other=session what="hands over an object that stores its loop (in 'application.startup')" ; ATS404:41 name=test_application own=function fixture=loop_keeper other=session what="hands over an object that stores its loop"
    assert application.loop is loop_keeper.loop and pinged_broker


@pytest.mark.asyncio(loop_scope="session")
async def test_broker_in_its_loop(broker, application):
    broker.queue.put_nowait("job")
