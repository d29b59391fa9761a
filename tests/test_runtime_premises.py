"""The failures the rules predict, shown by running real pytest sessions in a subprocess."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from flake8_async_testing.plugin import ALL_CODE_NAMES, check

MOCK_SUITE = """\
from unittest.mock import AsyncMock, MagicMock

import pytest


async def fetch_name(client):
    response = await client.fetch()
    return response


@pytest.mark.asyncio
async def test_flagged():
    client = MagicMock()
    assert await client.fetch() is not None


@pytest.mark.asyncio
async def test_fixed():
    client = AsyncMock()
    assert await client.fetch() is not None
"""


def check_file(path, enabled=ALL_CODE_NAMES):
    return check(ast.parse(path.read_text(encoding="utf-8")), str(path), enabled=enabled)


def run_pytest(project, *args):
    # The outer session's PYTEST_ADDOPTS (CI's coverage options, a developer's -x or --tb) would
    # change the inner session and its output: the inner session runs with its own options only.
    env = {name: value for name, value in os.environ.items() if name != "PYTEST_ADDOPTS"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ats501_case_fails_with_the_type_error_and_its_asyncmock_fix_passes(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_mocks.py", MOCK_SUITE)
    assert project.codes("test_mocks.py") == ["ATS501"]
    result = run_pytest(project, "test_mocks.py")
    assert "TypeError: object MagicMock can't be used in 'await' expression" in result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert "test_flagged" in result.stdout.split("short test summary")[-1]


SCOPE_MISMATCH_SUITE = """\
import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
async def flagged():
    yield "value"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fixed():
    yield "value"


@pytest.mark.asyncio
async def test_flagged(flagged):
    assert flagged == "value"


@pytest.mark.asyncio(loop_scope="module")
async def test_fixed(fixed):
    assert fixed == "value"
"""


def test_ats403_case_fails_with_scope_mismatch_and_its_loop_scope_fix_passes(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_scopes.py", SCOPE_MISMATCH_SUITE)
    assert project.codes("test_scopes.py") == ["ATS403"]
    result = run_pytest(project, "test_scopes.py")
    assert "ScopeMismatch" in result.stdout
    assert "1 passed, 1 error" in result.stdout
    assert "test_flagged" in result.stdout.split("short test summary")[-1]


DIFFERENT_LOOP_SUITE = """\
import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def queue():
    return asyncio.Queue()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def future():
    return asyncio.get_running_loop().create_future()


@pytest.mark.asyncio
async def test_flagged(future):
    assert await future is None


@pytest.mark.asyncio(loop_scope="session")
async def test_fixed(queue):
    queue.put_nowait(1)
    assert await queue.get() == 1
"""


def test_ats404_case_fails_attached_to_a_different_loop_and_the_same_loop_scope_passes(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_loops.py", DIFFERENT_LOOP_SUITE)
    assert project.codes("test_loops.py") == ["ATS404"]
    result = run_pytest(project, "test_loops.py")
    assert "attached to a different loop" in result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert "test_flagged" in result.stdout.split("short test summary")[-1]


CROSSING_SUITE = """\
import asyncio

import aiohttp
import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine


async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def data():
    return {"id": 1}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def lock():
    return asyncio.Lock()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def client():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def session():
    engine = create_async_engine("sqlite+aiosqlite://")
    async with async_sessionmaker(engine)() as session:
        yield session
    await engine.dispose()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def future():
    return asyncio.get_running_loop().create_future()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def http():
    async with aiohttp.ClientSession() as http:
        yield http


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def consumer():
    queue = asyncio.Queue()
    received = []

    async def consume():
        while True:
            received.append(await queue.get())

    task = asyncio.create_task(consume())
    yield queue, received
    task.cancel()


@pytest.mark.asyncio
async def test_data(data):
    assert data["id"] == 1


@pytest.mark.asyncio
async def test_lock(lock):
    async with lock:
        pass


@pytest.mark.asyncio
async def test_client(client):
    response = await client.get("/")
    assert response.status_code == 200


@pytest.mark.asyncio
async def test_session(session):
    assert (await session.execute(text("select 1"))).scalar() == 1


@pytest.mark.asyncio
async def test_future(future):
    assert await asyncio.wait_for(future, 1) is None


@pytest.mark.asyncio
async def test_http(http):
    with pytest.raises(aiohttp.ClientConnectionError):  # nothing listens there
        await http.get("http://127.0.0.1:9/")


@pytest.mark.asyncio
async def test_consumer(consumer):
    queue, received = consumer
    queue.put_nowait(1)
    await asyncio.sleep(0.2)
    assert received == [1]
"""


def test_ats404_reports_only_what_is_bound_to_the_other_loop(project):
    """Session-loop fixtures, function-loop tests: plain data, an unused Lock, an httpx client on
    ASGITransport and an aiosqlite AsyncSession cross loops fine; a Future of the fixture's loop,
    an aiohttp ClientSession and a task it started do not (the task never runs while the test
    does; the session's timeout asks for a task of its own loop before any connection)."""
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_crossing.py", CROSSING_SUITE)
    findings = check_file(project.root / "test_crossing.py", enabled=frozenset({"ATS404"}))
    assert [(message.split()[0], message.split("'")[1]) for _, _, message in findings] == [
        ("ATS404", "test_future"),
        ("ATS404", "test_http"),
        ("ATS404", "test_consumer"),
    ]
    result = run_pytest(project, "test_crossing.py")
    summary = result.stdout.split("short test summary")[-1]
    assert "3 failed, 4 passed" in result.stdout, result.stdout
    assert "FAILED test_crossing.py::test_http - RuntimeError" in summary
    assert "RuntimeError: Timeout context manager should be used inside a task" in result.stdout
    # Python <= 3.12: "The future belongs to a different loop"; 3.13's wait_for: "... attached to a different loop"
    assert "belongs to a different loop" in result.stdout or "attached to a different loop" in result.stdout
    assert "FAILED test_crossing.py::test_future" in summary
    assert "FAILED test_crossing.py::test_consumer - assert [] == [1]" in summary


STUB_SUITE = """\
import asyncio

import pytest


@pytest.mark.asyncio
async def test_flagged(mocker):
    callee = mocker.async_stub("callee")
    asyncio.get_running_loop().call_soon_threadsafe(callee)
    await asyncio.sleep(0)
    assert callee.called == 1


@pytest.mark.asyncio
async def test_fixed(mocker):
    callee = mocker.async_stub("callee")
    asyncio.get_running_loop().call_soon_threadsafe(callee)
    await asyncio.sleep(0)
    assert callee.await_count == 1
"""


def test_pytest_mock_async_stub_is_an_async_mock_whose_called_check_passes_unawaited(project):
    """pytest-mock's issue #374: the loop calls the async stub and drops the coroutine (never
    awaited, the stub's body never runs as a coroutine), yet `callee.called == 1` passes;
    `await_count` shows it. The plugin: ATS104 on both hand-overs, ATS503 on `called`."""
    pytest.importorskip("pytest_mock")
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_stub.py", STUB_SUITE)
    assert project.codes("test_stub.py") == ["ATS104", "ATS503", "ATS104"]
    result = run_pytest(project, "test_stub.py")
    assert "1 failed, 1 passed" in result.stdout, result.stdout
    assert "test_fixed" in result.stdout.split("short test summary")[1]
    assert "coroutine 'AsyncMockMixin._execute_mock_call' was never awaited" in result.stdout


CONFIGURED_MOCK_CONFTEST = """\
from unittest.mock import AsyncMock

import pytest


@pytest.fixture
def mailer():
    client = AsyncMock()
    client.send.return_value = True
    return client
"""

CONFIGURED_MOCK_SUITE = """\
import pytest


async def notify(mailer, address):
    mailer.send(address)  # the missing await under test


@pytest.mark.asyncio
async def test_flagged(mailer):
    await notify(mailer, "alice@example.com")
    mailer.send.assert_called_once_with("alice@example.com")


@pytest.mark.asyncio
async def test_fixed(mailer):
    await notify(mailer, "alice@example.com")
    mailer.send.assert_awaited_once_with("alice@example.com")
"""


def test_ats503_on_a_conftest_async_mock_configured_before_it_is_returned(project):
    """A conftest fixture's AsyncMock whose child got a plain return value is still an AsyncMock:
    `assert_called_once_with` passes although `send` was never awaited; `assert_awaited_once_with`
    fails. The plugin follows what the fixture set on the mock (ATS503 on the first only)."""
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("conftest.py", CONFIGURED_MOCK_CONFTEST)
    project.write("test_mailer.py", CONFIGURED_MOCK_SUITE)
    assert project.codes("test_mailer.py") == ["ATS503"]
    result = run_pytest(project, "test_mailer.py")
    assert "1 failed, 1 passed" in result.stdout, result.stdout
    assert "FAILED test_mailer.py::test_fixed" in result.stdout
    assert "AssertionError: Expected send to have been awaited once. Awaited 0 times." in result.stdout


PROJECT_CODE_LOOP_SUITE = """\
import asyncio

import pytest
import pytest_asyncio


class Broker:
    def __init__(self):
        self.handled = []
        self.queue = None

    async def start(self):
        self.queue = asyncio.Queue()
        self.task = asyncio.create_task(self._run())

    async def _run(self):
        while True:
            self.handled.append(await self.queue.get())


class App:
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
async def app():
    app = App()
    await app.startup()
    return app


@pytest.mark.asyncio
async def test_flagged_broker(broker):
    broker.queue.put_nowait("job")
    await asyncio.sleep(0.05)
    assert broker.handled == ["job"]


@pytest.mark.asyncio
async def test_flagged_app(app):
    future = app.loop.create_future()
    app.loop.call_soon(future.set_result, 1)
    assert await asyncio.wait_for(future, 1) == 1


@pytest.mark.asyncio(loop_scope="session")
async def test_fixed_broker(broker):
    broker.queue.put_nowait("job2")
    await asyncio.sleep(0.05)
    assert "job2" in broker.handled


@pytest.mark.asyncio(loop_scope="session")
async def test_fixed_app(app):
    future = app.loop.create_future()
    app.loop.call_soon(future.set_result, 1)
    assert await asyncio.wait_for(future, 1) == 1
"""


def test_ats404_through_project_code_a_method_starting_a_task_and_an_object_keeping_its_loop(project):
    """The fixture's tasks come from `Broker.start`, the loop is kept by `App.startup`: in a test
    of another loop the task never runs and the kept loop's Future is of a different loop;
    in the fixture's loop both pass."""
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    project.write("test_loops.py", PROJECT_CODE_LOOP_SUITE)
    assert project.codes("test_loops.py") == ["ATS404", "ATS404"]
    result = run_pytest(project, "-rA", "test_loops.py")
    summary = result.stdout.split("short test summary info")[1]
    assert "FAILED test_loops.py::test_flagged_broker - AssertionError" in summary
    assert "FAILED test_loops.py::test_flagged_app - " in summary
    # Python 3.11: "The future belongs to a different loop"; 3.12+: "got Future ... attached to a different loop"
    assert "belongs to a different loop" in result.stdout or "attached to a different loop" in result.stdout
    assert "PASSED test_loops.py::test_fixed_broker" in summary and "PASSED test_loops.py::test_fixed_app" in summary
