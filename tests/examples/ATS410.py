import asyncio

import aiohttp
import asyncpg
import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

app = FastAPI()


def get_http():
    raise NotImplementedError


def get_pool():
    raise NotImplementedError


@pytest_asyncio.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest_asyncio.fixture
async def pool():
    pool = await asyncpg.create_pool("postgresql://app@localhost/app")
    yield pool
    await pool.close()


@pytest_asyncio.fixture
async def waiter():
    return asyncio.get_running_loop().create_future()


def test_override_returns_the_session(http):
    app.dependency_overrides[get_http] = lambda: http
    with TestClient(app) as client:  # error: ATS410:10 role=test name=test_override_returns_the_session client=TestClient what=ClientSession fixture=http how="app.dependency_overrides[get_http]" symptom="'Timeout context manager should be used inside a task'"
        assert client.get("/").status_code == 200
    app.dependency_overrides.clear()


def test_state_holds_the_pool(pool):
    app.state.pool = pool
    client = TestClient(app)  # error: ATS410:14 role=test name=test_state_holds_the_pool client=TestClient what=Pool fixture=pool how=app.state.pool symptom="asyncpg's 'another operation is in progress', or 'got Future ... attached to a different loop'"
    assert client.get("/").status_code == 200


def test_override_function_yields_the_pool(pool):
    async def override():
        yield pool

    app.dependency_overrides.update({get_pool: override})
    client = TestClient(app=app)  # error: ATS410:14 role=test name=test_override_function_yields_the_pool client=TestClient what=Pool fixture=pool how=app.dependency_overrides symptom="asyncpg's 'another operation is in progress', or 'got Future ... attached to a different loop'"
    assert client.get("/").status_code == 200


@pytest.fixture
def client():
    with TestClient(app) as client:
        yield client


@pytest.fixture
def override_http(http):
    app.dependency_overrides[get_http] = lambda: http
    yield
    app.dependency_overrides.clear()


def test_the_test_brings_them_together(client, override_http):  # error: ATS410:40 role=test name=test_the_test_brings_them_together client="TestClient of fixture 'client'" what=ClientSession fixture=http how="app.dependency_overrides[get_http]" symptom="'Timeout context manager should be used inside a task'"
    assert client.get("/").status_code == 200


@pytest.fixture
def client_with_future(waiter):
    app.dependency_overrides[get_http] = lambda: waiter
    yield TestClient(app)  # error: ATS410:11 role=fixture name=client_with_future client=TestClient what=Future fixture=waiter how="app.dependency_overrides[get_http]" symptom="'got Future ... attached to a different loop'"
    app.dependency_overrides.clear()


def test_gets_the_fixture_that_reports(client_with_future):
    assert client_with_future.get("/").status_code == 200


@pytest.fixture
def application():
    return FastAPI()


@pytest.fixture
def app_client(application):
    return TestClient(application)


def test_through_fixtures_of_the_application(app_client, application, http):  # error: ATS410:46 role=test name=test_through_fixtures_of_the_application client="TestClient of fixture 'app_client'" what=ClientSession fixture=http how=application.state.http symptom="'Timeout context manager should be used inside a task'"
    application.state.http = http
    assert app_client.get("/").status_code == 200


class TestWithAnAutouseOverride:
    @pytest.fixture(autouse=True)
    def override_with_the_pool(self, pool):
        app.dependency_overrides[get_pool] = lambda: pool
        yield
        app.dependency_overrides.clear()

    def test_gets_the_client_fixture(self, client):  # error: ATS410:44 role=test name=test_gets_the_client_fixture client="TestClient of fixture 'client'" what=Pool fixture=pool how="app.dependency_overrides[get_pool]" symptom="asyncpg's 'another operation is in progress', or 'got Future ... attached to a different loop'"
        assert client.get("/").status_code == 200

    def test_makes_its_own_client(self):
        with TestClient(app) as client:  # error: ATS410:14 role=test name=test_makes_its_own_client client=TestClient what=Pool fixture=pool how="app.dependency_overrides[get_pool]" symptom="asyncpg's 'another operation is in progress', or 'got Future ... attached to a different loop'"
            assert client.get("/").status_code == 200


# -- near misses: silent -------------------------------------------------------------------


@pytest.fixture
def sync_settings():
    return {"debug": True}


@pytest_asyncio.fixture
async def sqlite_engine():
    engine = create_async_engine("sqlite+aiosqlite://")
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def engine():
    engine = create_async_engine("postgresql+asyncpg://app@localhost/app")
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def unpooled_engine():
    engine = create_async_engine("postgresql+asyncpg://app@localhost/app", poolclass=NullPool)
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def asgi_client():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def test_sync_override(sync_settings):
    app.dependency_overrides[get_http] = lambda: sync_settings
    assert TestClient(app).get("/").status_code == 200


def test_aiosqlite_engine_works_from_any_loop(sqlite_engine):
    app.dependency_overrides[get_pool] = lambda: sqlite_engine
    assert TestClient(app).get("/").status_code == 200


def test_engine_connects_where_it_is_first_used(engine):
    app.dependency_overrides[get_pool] = lambda: engine
    assert TestClient(app).get("/").status_code == 200


def test_unpooled_engine_connects_in_the_loop_that_uses_it(unpooled_engine):
    app.dependency_overrides[get_pool] = lambda: unpooled_engine
    assert TestClient(app).get("/").status_code == 200


@pytest.mark.asyncio
async def test_async_client_on_asgi_transport(asgi_client, http):
    app.dependency_overrides[get_http] = lambda: http
    assert (await asgi_client.get("/")).status_code == 200


def test_value_never_reaches_the_application(http):
    other = FastAPI()
    other.dependency_overrides[get_http] = lambda: http
    assert TestClient(app).get("/").status_code == 200


def test_override_made_from_the_value(http):
    app.dependency_overrides[get_http] = lambda: http.headers
    assert TestClient(app).get("/").status_code == 200


def test_rebound_before_it_is_handed_over(http):
    http = {"fake": True}
    app.dependency_overrides[get_http] = lambda: http
    assert TestClient(app).get("/").status_code == 200


def test_override_function_makes_its_own(http):
    async def override():
        async with aiohttp.ClientSession() as http:
            yield http

    app.dependency_overrides[get_http] = override
    assert TestClient(app).get("/").status_code == 200


@pytest.fixture
def unmarked_async_value():
    return asyncio.Future


def test_plain_fixture_of_a_class(unmarked_async_value):
    app.state.future_class = unmarked_async_value
    assert TestClient(app).get("/").status_code == 200


def portal_in_the_test_thread():
    raise NotImplementedError


def test_client_given_a_portal_of_its_own(http):
    app.dependency_overrides[get_http] = lambda: http
    client = TestClient(app)
    client.portal_factory = portal_in_the_test_thread  # runs where the test says: not followed
    assert client.get("/").status_code == 200
