import aiohttp
import httpx
import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

DATABASE_URL = "sqlite+aiosqlite:///test.db"
SHARED = aiohttp.ClientSession


@pytest_asyncio.fixture
async def session():
    return aiohttp.ClientSession()  # error: ATS106:12 name=session how=returns what="aiohttp ClientSession" call=aiohttp.ClientSession symptom="'Unclosed client session', a ResourceWarning"


@pytest_asyncio.fixture
async def named_session():
    client = aiohttp.ClientSession(base_url="http://localhost")
    yield client  # error: ATS106:11 name=named_session how=yields what="aiohttp ClientSession" call=aiohttp.ClientSession symptom="'Unclosed client session', a ResourceWarning"


@pytest_asyncio.fixture
async def engine():
    engine = create_async_engine(DATABASE_URL)
    yield engine  # error: ATS106:11 name=engine how=yields what=AsyncEngine call=create_async_engine symptom="its pooled connections are deleted unclosed, a ResourceWarning"


@pytest_asyncio.fixture
async def http_client():
    return httpx.AsyncClient(base_url="http://localhost:8000")  # error: ATS106:12 name=http_client how=returns what="httpx AsyncClient" call=httpx.AsyncClient symptom="once it has made a request, its kept-alive connections are deleted unclosed: 'unclosed transport', a ResourceWarning"


@pytest_asyncio.fixture
async def retrying_client():
    client = httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(retries=2))
    yield client  # error: ATS106:11 name=retrying_client how=yields what="httpx AsyncClient" call=httpx.AsyncClient symptom="once it has made a request, its kept-alive connections are deleted unclosed: 'unclosed transport', a ResourceWarning"


# -- closed, or may be: silent ------------------------------------------------------------------


async def asgi_app(scope, receive, send):
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


@pytest_asyncio.fixture
async def asgi_client():
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi_app), base_url="http://test")  # no socket


@pytest_asyncio.fixture
async def mock_transport_client():
    return httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(204)))  # no socket


@pytest_asyncio.fixture
async def app_client():
    return httpx.AsyncClient(app=asgi_app, base_url="http://test")  # httpx < 0.28: an ASGI transport


@pytest_asyncio.fixture
async def mounted_client():
    mock = httpx.MockTransport(lambda request: httpx.Response(204))
    return httpx.AsyncClient(mounts={"http://test": mock})  # what goes where is not followed


@pytest_asyncio.fixture
async def closed_http_client():
    client = httpx.AsyncClient()
    yield client
    await client.aclose()


@pytest_asyncio.fixture
async def entered_http_client():
    async with httpx.AsyncClient() as client:
        yield client


@pytest_asyncio.fixture
async def entered_session():
    async with aiohttp.ClientSession() as client:
        yield client


@pytest_asyncio.fixture
async def closed_session():
    client = aiohttp.ClientSession()
    yield client
    await client.close()


@pytest_asyncio.fixture
async def disposed_engine():
    engine = create_async_engine(DATABASE_URL)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def finalized_session(request, event_loop_runner):
    client = aiohttp.ClientSession()
    request.addfinalizer(lambda: event_loop_runner(client.close()))
    return client


@pytest_asyncio.fixture
async def handed_to_a_closer(closer):
    client = aiohttp.ClientSession()
    closer.register(client)
    yield client


@pytest_asyncio.fixture
async def from_another_fixture(session):
    yield session  # made by the other fixture: closing it is that fixture's business


@pytest_asyncio.fixture
async def a_connection_of_the_engine(engine):
    async with engine.connect() as connection:
        yield connection


async def helper_returns_a_session():
    return aiohttp.ClientSession()  # not a fixture


@pytest.fixture(scope="session")
def engine_without_a_pool():
    return create_async_engine(DATABASE_URL, poolclass=NullPool)  # each connection closed as it is given back


@pytest.fixture(scope="session")
def one_engine_for_the_session():
    return create_async_engine(DATABASE_URL)  # one engine, found at exit: not a leak per test
