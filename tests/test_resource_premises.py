"""ATS106 in real pytest sessions: an aiohttp ClientSession a fixture returns, and an AsyncEngine
it yields and never disposes, leave ResourceWarnings behind ("Unclosed client session", an
aiosqlite connection "deleted before being closed"); the `async with` / `dispose()` versions
leave none. An httpx.AsyncClient a fixture returns leaves an "unclosed transport" once it has
kept a connection to a live server open; one entered with `async with`, or on ASGITransport,
none. (One that never opened a connection warns about nothing: the rule cannot see requests,
and names the symptom "once it has made a request".)"""

from __future__ import annotations

import pytest
from test_runtime_premises import run_pytest

pytest.importorskip("aiohttp")

CONFIG = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"

FLAGGED = """\
import aiohttp
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


@pytest_asyncio.fixture
async def session():
    return aiohttp.ClientSession()


@pytest_asyncio.fixture
async def engine(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    async with engine.connect() as connection:
        await connection.execute(text("select 1"))
    yield engine


@pytest.mark.asyncio
async def test_session(session):
    assert not session.closed


@pytest.mark.asyncio
async def test_engine(engine):
    assert engine.url
"""

FIXED = """\
import aiohttp
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


@pytest_asyncio.fixture
async def session():
    async with aiohttp.ClientSession() as session:
        yield session


@pytest_asyncio.fixture
async def engine(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    async with engine.connect() as connection:
        await connection.execute(text("select 1"))
    yield engine
    await engine.dispose()


@pytest.mark.asyncio
async def test_session(session):
    assert not session.closed


@pytest.mark.asyncio
async def test_engine(engine):
    assert engine.url
"""


def test_unclosed_resources_warn_and_closed_ones_do_not(project):
    project.write("pytest.ini", CONFIG)
    project.write("test_flagged.py", FLAGGED)
    project.write("test_fixed.py", FIXED)
    assert project.codes("test_flagged.py") == ["ATS106", "ATS106"]
    assert project.codes("test_fixed.py") == []
    flagged = run_pytest(project, "-W", "error::ResourceWarning", "test_flagged.py")  # made visible
    output = flagged.stdout + flagged.stderr
    assert "2 passed" in flagged.stdout  # green, with the leaks in its warnings only
    assert "ResourceWarning: Unclosed client session" in output
    assert "was deleted before being closed" in output
    fixed = run_pytest(project, "-W", "error::ResourceWarning", "test_fixed.py")
    assert "2 passed" in fixed.stdout
    assert "ResourceWarning" not in fixed.stdout + fixed.stderr


HTTPX_SUITE = """\
import http.server
import threading

import httpx
import pytest
import pytest_asyncio


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the client's connection stays open

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest_asyncio.fixture
async def CLIENT_FIXTURE


@pytest.mark.asyncio
async def test_request(client, server):
    assert (await client.get(server)).status_code == 200
"""
HTTPX_CLIENTS = {
    "network": ("client():\n    return httpx.AsyncClient()", ["ATS106"]),
    "closed": ("client():\n    async with httpx.AsyncClient() as client:\n        yield client", []),
    "asgi": (
        'client():\n    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")',
        [],
    ),
}


@pytest.mark.parametrize("case", sorted(HTTPX_CLIENTS))
def test_an_httpx_client_on_the_network_left_open_leaks_its_connection(project, case):
    """A kept-alive connection to a live local server: the client a fixture returns leaves an
    unclosed transport and socket behind; entered with `async with`, or on ASGITransport (no
    socket, the request never leaves the process), nothing."""
    fixture, codes = HTTPX_CLIENTS[case]
    project.write("pytest.ini", CONFIG)
    project.write("test_client.py", HTTPX_SUITE.replace("CLIENT_FIXTURE", fixture))
    assert project.codes("test_client.py") == codes
    # `always`, not `error`: a ResourceWarning raised as an error from a collected transport can
    # land inside pytest's own parsing (Python 3.11: "AST constructor recursion depth mismatch")
    result = run_pytest(project, "-W", "always::ResourceWarning", "test_client.py")
    output = result.stdout + result.stderr
    assert "1 passed" in result.stdout, output  # green either way
    assert ("ResourceWarning: unclosed transport" in output) == bool(codes), output


def test_a_suite_that_mocks_the_transport_gets_no_httpx_finding(project):
    """respx (or pytest-httpx) named in the folder: requests never reach a socket."""
    project.write("pytest.ini", CONFIG)
    network = HTTPX_SUITE.replace("CLIENT_FIXTURE", HTTPX_CLIENTS["network"][0])
    project.write("test_client.py", network)
    project.write("test_mocked.py", "import respx\n\n\n@respx.mock\ndef test_mocked():\n    pass\n")
    assert project.codes("test_client.py") == []
