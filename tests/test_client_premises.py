"""ATS410 in real pytest sessions: a sync TestClient runs the application in an event loop of its
own, in a portal thread. An aiohttp ClientSession, a Future, an asyncpg pool or connection that
an async fixture made in pytest-asyncio's loop fail there; an aiosqlite engine, sync values,
the same values through httpx.AsyncClient on ASGITransport in an async test, and an AsyncEngine
on asyncpg the fixture has not used yet (its pool connects in the client's loop) work. The
plugin reports exactly the failing tests. The asyncpg part runs where a PostgreSQL server can be
started (initdb and pg_ctl on PATH), and skips elsewhere."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile

import pytest
from test_runtime_premises import check_file, run_pytest

pytest.importorskip("aiohttp")
pytest.importorskip("fastapi")

CONFIG = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"

SESSION_SUITE = """\
import asyncio

import aiohttp
import httpx
import pytest
import pytest_asyncio
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

app = FastAPI()


def get_http():
    raise NotImplementedError


def get_db():
    raise NotImplementedError


@app.get("/fetch")
async def fetch(http=Depends(get_http)):
    try:
        async with http.get("http://127.0.0.1:9/") as response:
            return {"status": response.status}
    except aiohttp.ClientConnectionError:  # nothing listens there: the loop is what is tested
        return {"status": "unreachable"}


@app.get("/state")
async def state():
    try:
        async with app.state.http.get("http://127.0.0.1:9/") as response:
            return {"status": response.status}
    except aiohttp.ClientConnectionError:
        return {"status": "unreachable"}


@app.get("/wait")
async def wait(waiter=Depends(get_http)):
    waiter.get_loop().call_soon_threadsafe(waiter.set_result, "done")
    return {"result": await asyncio.wait_for(waiter, 2)}


@app.get("/query")
async def query(db=Depends(get_db)):
    return {"value": (await db.execute(text("select 1"))).scalar()}


@pytest_asyncio.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest_asyncio.fixture
async def waiter():
    return asyncio.get_running_loop().create_future()


@pytest_asyncio.fixture
async def db():
    engine = create_async_engine("sqlite+aiosqlite://")
    async with AsyncSession(engine) as session:
        await session.execute(text("select 1"))
        yield session
    await engine.dispose()


@pytest.fixture
def client():
    with TestClient(app) as client:
        yield client


@pytest.fixture
def override_http(http):
    app.dependency_overrides[get_http] = lambda: http
    yield
    app.dependency_overrides.clear()


def test_override(http):
    app.dependency_overrides[get_http] = lambda: http
    try:
        with TestClient(app) as client:
            assert client.get("/fetch").json() == {"status": "unreachable"}
    finally:
        app.dependency_overrides.clear()


def test_state(http):
    app.state.http = http
    with TestClient(app) as client:
        assert client.get("/state").json() == {"status": "unreachable"}


def test_client_fixture(client, override_http):
    assert client.get("/fetch").json() == {"status": "unreachable"}


def test_future(waiter):
    app.dependency_overrides[get_http] = lambda: waiter
    try:
        with TestClient(app) as client:
            assert client.get("/wait").json() == {"result": "done"}
    finally:
        app.dependency_overrides.clear()


def test_aiosqlite(db):
    app.dependency_overrides[get_db] = lambda: db
    try:
        with TestClient(app) as client:
            assert client.get("/query").json() == {"value": 1}
    finally:
        app.dependency_overrides.clear()


def test_session_made_in_the_application_loop():
    async def override():
        async with aiohttp.ClientSession() as session:
            yield session

    app.dependency_overrides[get_http] = override
    try:
        with TestClient(app) as client:
            assert client.get("/fetch").json() == {"status": "unreachable"}
    finally:
        app.dependency_overrides.clear()


@pytest.mark.asyncio
async def test_asgi_transport(http):
    app.dependency_overrides[get_http] = lambda: http
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/fetch")).json() == {"status": "unreachable"}
    finally:
        app.dependency_overrides.clear()
"""


def _findings(project, name):
    found = check_file(project.root / name, enabled=frozenset({"ATS410"}))
    return sorted((message.split()[0], message.split("'")[1]) for _, _, message in found)


def _failed(result):
    summary = result.stdout.split("short test summary")[-1]
    return sorted(line.split("::")[1].split()[0] for line in summary.splitlines() if line.startswith("FAILED"))


def test_loop_bound_values_fail_in_the_test_client_loop_and_the_plugin_reports_those(project):
    project.write("pytest.ini", CONFIG)
    project.write("test_clients.py", SESSION_SUITE)
    assert _findings(project, "test_clients.py") == [
        ("ATS410", "test_client_fixture"),
        ("ATS410", "test_future"),
        ("ATS410", "test_override"),
        ("ATS410", "test_state"),
    ]
    result = run_pytest(project, "test_clients.py")
    assert "4 failed, 3 passed" in result.stdout, result.stdout
    assert _failed(result) == ["test_client_fixture", "test_future", "test_override", "test_state"]
    assert "RuntimeError: Timeout context manager should be used inside a task" in result.stdout
    # the Future: awaited in the client's loop ("attached to a different loop") or, on 3.10 and
    # 3.11's wait_for, "The future belongs to a different loop"
    assert "attached to a different loop" in result.stdout or "belongs to a different loop" in result.stdout


POSTGRES_SUITE = """\
import asyncpg
import pytest
import pytest_asyncio
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

app = FastAPI()


def get_db():
    raise NotImplementedError


@app.get("/asyncpg")
async def fetch_value(db=Depends(get_db)):
    return {"value": await db.fetchval("select 1")}


@app.get("/engine")
async def engine_value(engine=Depends(get_db)):
    async with engine.connect() as connection:
        return {"value": (await connection.execute(text("select 1"))).scalar()}


@pytest_asyncio.fixture
async def pool():
    pool = await asyncpg.create_pool("{dsn}", min_size=1, max_size=2)
    yield pool
    await pool.close()


@pytest_asyncio.fixture
async def connection():
    connection = await asyncpg.connect("{dsn}")
    yield connection
    await connection.close()


@pytest_asyncio.fixture
async def engine():
    engine = create_async_engine("{url}")
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def unpooled_engine():
    engine = create_async_engine("{url}", poolclass=NullPool)
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def session_pool():
    pool = await asyncpg.create_pool("{dsn}", min_size=1, max_size=1)
    yield pool
    await pool.close()


def _two_requests(client, path):
    assert client.get(path).json() == {"value": 1}
    assert client.get(path).json() == {"value": 1}


def test_pool(pool):
    app.dependency_overrides[get_db] = lambda: pool
    try:
        with TestClient(app) as client:
            _two_requests(client, "/asyncpg")
    finally:
        app.dependency_overrides.clear()


def test_connection(connection):
    app.dependency_overrides[get_db] = lambda: connection
    try:
        with TestClient(app) as client:
            _two_requests(client, "/asyncpg")
    finally:
        app.dependency_overrides.clear()


def test_engine(engine):
    app.dependency_overrides[get_db] = lambda: engine
    try:
        with TestClient(app) as client:
            _two_requests(client, "/engine")
    finally:
        app.dependency_overrides.clear()


def test_unpooled_engine(unpooled_engine):
    app.dependency_overrides[get_db] = lambda: unpooled_engine
    try:
        with TestClient(app) as client:
            _two_requests(client, "/engine")
    finally:
        app.dependency_overrides.clear()


@pytest.mark.asyncio
async def test_pool_in_another_pytest_asyncio_loop(session_pool):
    assert await session_pool.fetchval("select 1") == 1
"""


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server on a free loopback port (as the `postgres` user when run as
    root); its DSN. Skips where the server programs are missing."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb is None or pg_ctl is None:
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl) on PATH")
    pytest.importorskip("asyncpg")
    as_user: list[str] = []
    root = tempfile.mkdtemp(prefix="ats-postgres-")
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: PostgreSQL refuses to start as root")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = os.path.join(root, "data")
    subprocess.run([*as_user, initdb, "-D", data, "-A", "trust", "-U", "postgres"], check=True, capture_output=True)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    start = [*as_user, pg_ctl, "-D", data, "-o", options, "-l", os.path.join(root, "log"), "-w", "start"]
    subprocess.run(start, check=True, capture_output=True)
    try:
        yield f"postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def test_asyncpg_values_fail_in_another_loop_and_an_engine_not_used_yet_does_not(project, postgres):
    project.write("pytest.ini", CONFIG)
    suite = POSTGRES_SUITE.replace("{dsn}", f"postgresql://{postgres}")
    suite = suite.replace("{url}", f"postgresql+asyncpg://{postgres}")
    project.write("test_postgres.py", suite)
    assert _findings(project, "test_postgres.py") == [("ATS410", "test_connection"), ("ATS410", "test_pool")]
    loop_crossings = check_file(project.root / "test_postgres.py", enabled=frozenset({"ATS404"}))
    assert [message.split("'")[1] for _, _, message in loop_crossings] == ["test_pool_in_another_pytest_asyncio_loop"]
    result = run_pytest(project, "test_postgres.py")
    assert _failed(result) == ["test_connection", "test_pool", "test_pool_in_another_pytest_asyncio_loop"]
    assert "3 failed, 2 passed" in result.stdout  # the engine: connected in the client's loop
    assert "another operation is in progress" in result.stdout or "attached to a different loop" in result.stdout
