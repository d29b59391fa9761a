"""Premises of issue 13's new and changed rules, shown by running real pytest sessions in a subprocess.

Each suite is a module-level constant named after the code it backs, with the flagged case and
its fix or near miss side by side. These tests assert only what pytest does at run time; which
codes the plugin reports on the same suites is asserted elsewhere.

Checked with pytest 9.2, pytest-asyncio 1.5, anyio 4.16, pytest-aiohttp 1.1 / aiohttp 3.14,
SQLAlchemy 2.1, Python 3.11.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

import pytest

from flake8_async_testing.plugin import check

STRICT_INI = """\
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
"""


def reported(project, relative):
    """(line, code) of what the plugin reports on one file of the project."""
    path = project.root / relative
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(line, message.split()[0]) for line, _, message in check(tree, str(path))]


def run_pytest(project, *args, env=None):
    """One quiet pytest session in the project's folder. hypothesis's plugin is left out: it
    would double the start-up time and none of these suites uses it."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "500", **(env or {})},
    )


def outcomes(result) -> dict[str, str]:
    """Test name -> PASSED / FAILED / ERROR / SKIPPED, from the `-rA` short summary."""
    summary = result.stdout.split("short test summary info")[-1]
    found = {}
    for outcome, nodeid in re.findall(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (?:\[\d+\] )?(\S+)", summary, re.M):
        found[nodeid.split("::")[-1].split("[")[0]] = outcome
    return found


# --- ATS207: anyio runs an async fixture only for a test that requests anyio_backend -----------

ATS207_ANYIO_SUITE = """\
import pytest


@pytest.fixture
async def flagged_value():
    return 42


@pytest.fixture
async def sync_marked_value():
    return 42


@pytest.fixture
async def backend_value():
    return 42


@pytest.fixture
async def through_fixture_value():
    return 42


@pytest.fixture
async def async_marked_value():
    return 42


@pytest.fixture
def on_anyio(anyio_backend):
    return anyio_backend


def test_flagged(flagged_value):
    assert flagged_value == 42


@pytest.mark.anyio
def test_flagged_sync_test_with_anyio_mark(sync_marked_value):
    assert sync_marked_value == 42


def test_requests_anyio_backend(backend_value, anyio_backend):
    assert backend_value == 42


def test_requests_anyio_backend_through_a_fixture(through_fixture_value, on_anyio):
    assert through_fixture_value == 42


@pytest.mark.anyio
async def test_async_test_with_anyio_mark(async_marked_value):
    assert async_marked_value == 42
"""

ATS207_ANYIO_AUTOUSE_SUITE = """\
import pytest


@pytest.fixture(autouse=True)
def _on_anyio(anyio_backend):
    pass


@pytest.fixture
async def value():
    return 42


def test_sync_requester_under_an_autouse_anyio_backend(value):
    assert value == 42
"""


def test_ats207_anyio_leaves_async_fixtures_of_sync_tests_without_anyio_backend_unrun(project):
    """pytest-asyncio off (`-p no:asyncio`), anyio's plugin at work: a sync test requesting a
    plain async fixture errors (pytest >= 9.0); requesting `anyio_backend` directly, through a
    fixture or an autouse fixture gets the fixture run. An anyio mark helps only an async test: anyio adds
    `anyio_backend` to coroutine tests alone, so a marked sync test errors like an unmarked one.

    Each test has a fixture of its own: after the error, pytest 9.2 leaves the fixture's
    finalizers behind, and every later request of the same fixture fails inside pytest with a
    bare `assert not self._finalizers` AssertionError (fixtures.py)."""
    pytest.importorskip("anyio.pytest_plugin")
    project.write("pytest.ini", STRICT_INI)
    project.write("test_anyio.py", ATS207_ANYIO_SUITE)
    # the plugin: the two sync tests without anyio_backend
    assert reported(project, "test_anyio.py") == [(34, "ATS207"), (39, "ATS207")]
    project.write("test_anyio_autouse.py", ATS207_ANYIO_AUTOUSE_SUITE)
    assert reported(project, "test_anyio_autouse.py") == []
    # pytest-aiohttp, where installed, reads pytest-asyncio's options at configure time and
    # crashes the session under `-p no:asyncio` ("ValueError: no option named 'asyncio_mode'")
    result = run_pytest(project, "-p", "no:asyncio", "-p", "no:aiohttp", "-p", "anyio")
    # pytest >= 9.1 fails the setup; 9.0 raises PytestRemovedIn9Warning there (an error by
    # default in 9.0); 8.x only warns and the test gets a coroutine object (assert fails)
    flagged = "ERROR" if int(pytest.__version__.split(".")[0]) >= 9 else "FAILED"
    assert outcomes(result) == {
        "test_flagged": flagged,
        "test_flagged_sync_test_with_anyio_mark": flagged,
        "test_requests_anyio_backend": "PASSED",
        "test_requests_anyio_backend_through_a_fixture": "PASSED",
        "test_async_test_with_anyio_mark": "PASSED",
        "test_sync_requester_under_an_autouse_anyio_backend": "PASSED",
    }, result.stdout
    for test, fixture in [
        ("test_flagged", "flagged_value"),
        ("test_flagged_sync_test_with_anyio_mark", "sync_marked_value"),
    ]:
        message = f"'{test}' requested an async fixture '{fixture}', with no plugin or hook that handled it"
        assert message in result.stdout, result.stdout


# --- ATS201: pytest-aiohttp >= 1.0 is not a runner; aiohttp.pytest_plugin and asyncio_cooperative are

ATS201_PYTEST_AIOHTTP_SUITE = """\
import asyncio

import pytest

pytest_plugins = ["pytest_aiohttp"]


async def test_flagged_unmarked():
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_marked():
    await asyncio.sleep(0)
"""

ATS201_AIOHTTP_PLUGIN_SUITE = """\
import asyncio

pytest_plugins = ["aiohttp.pytest_plugin"]


async def test_unmarked_under_aiohttp_plugin():
    await asyncio.sleep(0)
"""

ATS201_COOPERATIVE_SUITE = """\
import asyncio

import pytest


async def test_flagged_unmarked():
    await asyncio.sleep(0)


@pytest.mark.asyncio_cooperative
async def test_cooperative():
    await asyncio.sleep(0)
"""


def test_ats201_pytest_aiohttp_does_not_run_unmarked_async_tests_in_strict_mode(project):
    """pytest-aiohttp 1.x has no `pytest_pyfunc_call`: it hands async tests to pytest-asyncio, so
    in strict mode an unmarked test fails as not natively supported; the marked one runs."""
    pytest.importorskip("pytest_aiohttp")
    project.write("pytest.ini", STRICT_INI)
    project.write("test_pytest_aiohttp.py", ATS201_PYTEST_AIOHTTP_SUITE)
    assert reported(project, "test_pytest_aiohttp.py") == [(8, "ATS201")]
    result = run_pytest(project)
    assert outcomes(result) == {"test_flagged_unmarked": "FAILED", "test_marked": "PASSED"}, result.stdout
    assert "test_flagged_unmarked - Failed: async def functions are not natively supported" in result.stdout


def test_ats201_aiohttp_pytest_plugin_runs_unmarked_async_tests(project):
    """aiohttp's own (deprecated) plugin runs async tests itself, in strict mode too."""
    pytest.importorskip("aiohttp.pytest_plugin")
    project.write("pytest.ini", STRICT_INI)
    project.write("test_aiohttp_plugin.py", ATS201_AIOHTTP_PLUGIN_SUITE)
    assert reported(project, "test_aiohttp_plugin.py") == []
    result = run_pytest(project, "-W", "ignore::DeprecationWarning")
    assert outcomes(result) == {"test_unmarked_under_aiohttp_plugin": "PASSED"}, result.stdout


def test_ats201_asyncio_cooperative_mark_runs_the_test(project):
    """pytest-asyncio-cooperative is not in the test extras: it takes over pytest's test loop in
    every session once installed. Where it is installed, run it alone (autoload off) to show its
    mark runs an async test that is otherwise not run."""
    pytest.importorskip("pytest_asyncio_cooperative")
    project.write("test_cooperative.py", ATS201_COOPERATIVE_SUITE)
    result = run_pytest(project, "-p", "pytest_asyncio_cooperative.plugin", env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert outcomes(result) == {"test_flagged_unmarked": "FAILED", "test_cooperative": "PASSED"}, result.stdout
    assert "async def functions are not natively supported" in result.stdout


# --- ATS102: a sync fixture that returns a coroutine ------------------------------------------

ATS102_FIXTURE_RETURNS_COROUTINE_SUITE = """\
import pytest


async def register_customer(name):
    return {"name": name}


@pytest.fixture
def customer():
    return register_customer("ada")


@pytest.fixture
def pending_customer():
    return register_customer("ada")


def test_flagged(customer):
    assert customer["name"] == "ada"


@pytest.mark.asyncio
async def test_near_miss_awaits_the_value(pending_customer):
    assert (await pending_customer)["name"] == "ada"
"""


def test_ats102_sync_fixture_returning_a_coroutine_hands_its_requester_a_coroutine(project):
    project.write("pytest.ini", STRICT_INI)
    project.write("test_fixture_coroutine.py", ATS102_FIXTURE_RETURNS_COROUTINE_SUITE)
    assert reported(project, "test_fixture_coroutine.py") == [(10, "ATS102")]  # not the awaited one
    result = run_pytest(project)
    assert outcomes(result) == {"test_flagged": "FAILED", "test_near_miss_awaits_the_value": "PASSED"}, result.stdout
    assert "TypeError: 'coroutine' object is not subscriptable" in result.stdout
    assert "customer = <coroutine object register_customer at" in result.stdout


# --- ATS102 / ATS101 silence: a closed coroutine -----------------------------------------------

ATS102_CLOSED_COROUTINE_SUITE = """\
async def fetch():
    return 1


def test_flagged_dropped():
    fetch()


def test_near_miss_closed():
    coro = fetch()
    coro.close()
"""


def test_ats102_a_closed_coroutine_gives_no_never_awaited_warning(project):
    """With "never awaited" made an error, the dropped coroutine fails its test, the closed one
    does not (the warning is raised in the coroutine's finalizer, so pytest reports it as an
    unraisable exception: both filters are needed)."""
    project.write("pytest.ini", STRICT_INI)
    project.write("test_closed.py", ATS102_CLOSED_COROUTINE_SUITE)
    assert reported(project, "test_closed.py") == [(6, "ATS102")]  # not the closed one
    result = run_pytest(project, "-W", "error::RuntimeWarning", "-W", "error::pytest.PytestUnraisableExceptionWarning")
    assert outcomes(result) == {"test_flagged_dropped": "FAILED", "test_near_miss_closed": "PASSED"}, result.stdout
    assert "RuntimeWarning: coroutine 'fetch' was never awaited" in result.stdout
    plain = run_pytest(project)
    warnings = plain.stdout.split("warnings summary")[-1].split("-- Docs")[0]
    assert "1 warning" in plain.stdout and "coroutine 'fetch' was never awaited" in warnings, plain.stdout
    assert "test_closed.py::test_flagged_dropped\n" in warnings and "test_near_miss_closed" not in warnings


# --- ATS104: a coroutine function handed to an API that calls it synchronously -----------------

ATS104_CALLBACK_SUITE = """\
import asyncio
import atexit
import threading
from pathlib import Path

import pytest
import pytest_asyncio

RAN = []
TASKS = []


async def record(name):
    await asyncio.sleep(0)
    RAN.append(name)


def schedule(name, *args):
    TASKS.append(asyncio.ensure_future(record(name)))


async def drop_tables():
    await record("finalizer flagged")


@pytest.fixture
def flagged_finalizer(request):
    request.addfinalizer(drop_tables)


@pytest.fixture
def fixed_finalizer(request):
    request.addfinalizer(lambda: asyncio.run(record("finalizer fixed")))


@pytest_asyncio.fixture
async def fixed_teardown():
    yield
    await record("teardown fixed")


def test_flagged_addfinalizer(flagged_finalizer):
    pass


def test_fixed_addfinalizer(fixed_finalizer):
    pass


@pytest.mark.asyncio
async def test_fixed_teardown_after_yield(fixed_teardown):
    pass


async def on_tick():
    await record("call_soon flagged")


@pytest.mark.asyncio
async def test_flagged_call_soon():
    asyncio.get_running_loop().call_soon(on_tick)
    await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_fixed_call_soon():
    asyncio.get_running_loop().call_soon(schedule, "call_soon fixed")
    await asyncio.sleep(0.05)


async def on_done(future):
    await record("add_done_callback flagged")


@pytest.mark.asyncio
async def test_flagged_add_done_callback():
    future = asyncio.get_running_loop().create_future()
    future.add_done_callback(on_done)
    future.set_result(None)
    await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_fixed_add_done_callback():
    future = asyncio.get_running_loop().create_future()
    future.add_done_callback(lambda done: schedule("add_done_callback fixed"))
    future.set_result(None)
    await asyncio.sleep(0.05)


async def worker():
    await record("thread flagged")


def test_flagged_thread_target():
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()


def test_fixed_thread_target():
    thread = threading.Thread(target=asyncio.run, args=(record("thread fixed"),))
    thread.start()
    thread.join()


async def write_marker(name):
    await asyncio.sleep(0)
    Path(name).write_text("ran")


async def flush_at_exit():
    await write_marker("flagged-at-exit.txt")


def test_flagged_and_fixed_atexit():
    atexit.register(flush_at_exit)
    atexit.register(lambda: asyncio.run(write_marker("fixed-at-exit.txt")))


def test_zz_only_the_fixes_ran():
    assert sorted(RAN) == [
        "add_done_callback fixed",
        "call_soon fixed",
        "finalizer fixed",
        "teardown fixed",
        "thread fixed",
    ]
"""


def test_ats104_coroutine_functions_given_to_sync_callback_apis_never_run_and_the_fixes_do(project):
    project.write("pytest.ini", STRICT_INI)
    project.write("test_callbacks.py", ATS104_CALLBACK_SUITE)
    flagged_lines = [28, 61, 78, 96, 117]
    assert reported(project, "test_callbacks.py") == [(line, "ATS104") for line in flagged_lines]
    result = run_pytest(project)
    found = outcomes(result)
    assert found["test_zz_only_the_fixes_ran"] == "PASSED", result.stdout
    assert set(found.values()) == {"PASSED"}, result.stdout  # each flagged test passes: nothing tells
    for name in ["drop_tables", "on_tick", "on_done", "worker"]:
        assert f"RuntimeWarning: coroutine '{name}' was never awaited" in result.stdout, (name, result.stdout)
    for name in ["record", "write_marker", "flush_at_exit"]:
        assert f"coroutine '{name}' was never awaited" not in result.stdout
    # atexit: runs after the session, so its warning goes to stderr and only the fix writes its file
    assert "RuntimeWarning: coroutine 'flush_at_exit' was never awaited" in result.stderr, result.stderr
    assert (project.root / "fixed-at-exit.txt").exists()
    assert not (project.root / "flagged-at-exit.txt").exists()


# --- ATS503: call assertions on an AsyncMock pass although nothing awaited it ------------------

ATS503_WEAK_ASSERTIONS_SUITE = """\
from unittest.mock import AsyncMock, call

import pytest


class Notifier:
    def __init__(self, client):
        self.client = client

    async def notify(self, user):
        self.client.send(user)  # the await is missing


class FixedNotifier(Notifier):
    async def notify(self, user):
        await self.client.send(user)


@pytest.fixture
def client():
    return AsyncMock()


@pytest.mark.asyncio
async def test_flagged_called(client):
    await Notifier(client).notify("ada")
    assert client.send.called


@pytest.mark.asyncio
async def test_flagged_call_count(client):
    await Notifier(client).notify("ada")
    assert client.send.call_count == 1


@pytest.mark.asyncio
async def test_flagged_call_args(client):
    await Notifier(client).notify("ada")
    assert client.send.call_args == call("ada")


@pytest.mark.asyncio
async def test_flagged_call_args_list(client):
    await Notifier(client).notify("ada")
    assert client.send.call_args_list == [call("ada")]


@pytest.mark.asyncio
async def test_assert_awaited_once(client):
    await Notifier(client).notify("ada")
    client.send.assert_awaited_once()


@pytest.mark.asyncio
async def test_await_count(client):
    await Notifier(client).notify("ada")
    assert client.send.await_count == 1


@pytest.mark.asyncio
async def test_await_args(client):
    await Notifier(client).notify("ada")
    assert client.send.await_args == call("ada")


@pytest.mark.asyncio
async def test_awaited_twins_pass_on_the_fixed_code(client):
    await FixedNotifier(client).notify("ada")
    client.send.assert_awaited_once_with("ada")
    assert client.send.await_count == 1
    assert client.send.await_args == call("ada")
"""


def test_ats503_called_call_count_call_args_pass_on_a_never_awaited_asyncmock(project):
    project.write("pytest.ini", STRICT_INI)
    project.write("test_weak.py", ATS503_WEAK_ASSERTIONS_SUITE)
    assert reported(project, "test_weak.py") == [(27, "ATS503"), (33, "ATS503"), (39, "ATS503"), (45, "ATS503")]
    result = run_pytest(project)
    assert outcomes(result) == {
        "test_flagged_called": "PASSED",
        "test_flagged_call_count": "PASSED",
        "test_flagged_call_args": "PASSED",
        "test_flagged_call_args_list": "PASSED",
        "test_assert_awaited_once": "FAILED",
        "test_await_count": "FAILED",
        "test_await_args": "FAILED",
        "test_awaited_twins_pass_on_the_fixed_code": "PASSED",
    }, result.stdout
    assert "AssertionError: Expected send to have been awaited once. Awaited 0 times." in result.stdout
    assert "test_await_count - AssertionError: assert 0 == 1" in result.stdout
    assert "test_await_args - AssertionError: assert None == call('ada')" in result.stdout


# --- ATS403: a sync def under @pytest_asyncio.fixture(scope=...) -------------------------------

ATS403_SYNC_FIXTURE_SUITE = """\
import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
def flagged():
    return "value"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
def fixed():
    return "value"


def test_flagged(flagged):
    assert flagged == "value"


def test_fixed(fixed):
    assert fixed == "value"
"""


def test_ats403_sync_def_under_pytest_asyncio_fixture_wider_than_its_loop_scope_is_a_scope_mismatch(project):
    """pytest-asyncio 1.5 gives a sync def under `@pytest_asyncio.fixture` a runner of its loop
    scope too: module scope over the configured function loop scope is a ScopeMismatch; an
    explicit `loop_scope="module"` works, and so does leaving the default loop scope unset (then
    it is the fixture's own scope)."""
    project.write("pytest.ini", STRICT_INI)
    project.write("test_sync_fixture.py", ATS403_SYNC_FIXTURE_SUITE)
    assert reported(project, "test_sync_fixture.py") == [(5, "ATS403")]
    result = run_pytest(project)
    assert outcomes(result) == {"test_flagged": "ERROR", "test_fixed": "PASSED"}, result.stdout
    assert (
        "ScopeMismatch: You tried to access the function scoped fixture _function_scoped_runner "
        "with a module scoped request object" in result.stdout
    )
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\n")
    unset = run_pytest(project)
    assert outcomes(unset) == {"test_flagged": "PASSED", "test_fixed": "PASSED"}, unset.stdout


# --- ATS404: autouse and usefixtures fixtures of another loop scope ---------------------------

ATS404_AUTOUSE_SUITE = """\
import asyncio

import pytest
import pytest_asyncio

QUEUES = []
RECEIVED = []


@pytest_asyncio.fixture(scope="module", loop_scope="module", autouse=True)
async def consumer():
    queue = asyncio.Queue()
    QUEUES.append(queue)

    async def consume():
        while True:
            RECEIVED.append(await queue.get())

    task = asyncio.create_task(consume())
    yield
    task.cancel()


@pytest.mark.asyncio
async def test_flagged_autouse():
    QUEUES[0].put_nowait("flagged")
    await asyncio.sleep(0.2)
    assert "flagged" in RECEIVED


@pytest.mark.asyncio(loop_scope="module")
async def test_near_miss_autouse_same_loop_scope():
    QUEUES[0].put_nowait("near miss")
    await asyncio.sleep(0.2)
    assert "near miss" in RECEIVED
"""

ATS404_USEFIXTURES_SUITE = """\
import asyncio

import pytest
import pytest_asyncio

READY = {}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server_ready():
    loop = asyncio.get_running_loop()
    for name in ("flagged", "near miss"):
        READY[name] = loop.create_future()
        loop.call_later(0.01, READY[name].set_result, "ready")
    yield


@pytest.mark.asyncio
@pytest.mark.usefixtures("server_ready")
async def test_flagged_usefixtures():
    assert await READY["flagged"] == "ready"


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.usefixtures("server_ready")
async def test_near_miss_usefixtures_same_loop_scope():
    assert await READY["near miss"] == "ready"
"""


def test_ats404_autouse_and_usefixtures_fixtures_of_another_loop_scope_break_the_test(project):
    """Module-loop fixtures the test does not request by parameter: the autouse one's task does
    not run while a function-loop test runs; the Futures a `usefixtures` fixture hands over are
    attached to its loop. The module-loop tests pass."""
    project.write("pytest.ini", STRICT_INI)
    project.write("test_autouse.py", ATS404_AUTOUSE_SUITE)
    assert reported(project, "test_autouse.py") == [(25, "ATS404")]
    project.write("test_usefixtures.py", ATS404_USEFIXTURES_SUITE)
    assert reported(project, "test_usefixtures.py") == [(19, "ATS404")]
    result = run_pytest(project)
    summary = result.stdout.split("short test summary info")[-1]
    assert outcomes(result) == {
        "test_flagged_autouse": "FAILED",
        "test_near_miss_autouse_same_loop_scope": "PASSED",
        "test_flagged_usefixtures": "FAILED",
        "test_near_miss_usefixtures_same_loop_scope": "PASSED",
    }, result.stdout
    assert "FAILED test_autouse.py::test_flagged_autouse - AssertionError: assert 'flagged' in []" in summary
    assert "FAILED test_usefixtures.py::test_flagged_usefixtures - RuntimeError: Task" in summary
    assert "got Future <Future pending> attached to a different loop" in result.stdout


# --- ATS301: a per-test sibling fixture that empties the schema at teardown ---------------------

ATS301_SIBLING_TEARDOWN_SUITE = """\
import pytest
from sqlalchemy import String, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(50))


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


class Record(Base):
    __tablename__ = "records"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'app.db'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def leaky_session(engine):
    with Session(engine) as session:
        yield session


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session


@pytest.fixture
def truncate_tables(engine):
    yield
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def fresh_schema(engine):
    yield
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


def test_flagged_first_commits_a_note(leaky_session):
    leaky_session.add(Note(text="written by the first test"))
    leaky_session.commit()


def test_flagged_second_starts_empty(leaky_session):
    assert leaky_session.scalar(select(func.count()).select_from(Note)) == 0


def test_truncated_first_commits_an_item(session, truncate_tables):
    session.add(Item(name="written by the first test"))
    session.commit()


def test_truncated_second_starts_empty(session, truncate_tables):
    assert session.scalar(select(func.count()).select_from(Item)) == 0


def test_dropped_first_commits_a_record(fresh_schema, session):
    session.add(Record(name="written by the first test"))
    session.commit()


def test_dropped_second_starts_empty(fresh_schema, session):
    assert session.scalar(select(func.count()).select_from(Record)) == 0
"""


def test_ats301_a_sibling_fixture_that_truncates_or_drops_at_teardown_keeps_tests_apart(project):
    """Both session fixtures only close (no rollback). Alone, the first test's commit reaches the
    second; with a per-test sibling that truncates the tables or drops and recreates the schema
    at teardown, requested before or after the session, the second test starts empty."""
    pytest.importorskip("sqlalchemy")
    project.write("pytest.ini", STRICT_INI)
    project.write("test_sibling.py", ATS301_SIBLING_TEARDOWN_SUITE)
    assert reported(project, "test_sibling.py") == [(37, "ATS301")]  # leaky_session only
    result = run_pytest(project)
    assert outcomes(result) == {
        "test_flagged_first_commits_a_note": "PASSED",
        "test_flagged_second_starts_empty": "FAILED",
        "test_truncated_first_commits_an_item": "PASSED",
        "test_truncated_second_starts_empty": "PASSED",
        "test_dropped_first_commits_a_record": "PASSED",
        "test_dropped_second_starts_empty": "PASSED",
    }, result.stdout
    assert "test_flagged_second_starts_empty - assert 1 == 0" in result.stdout
