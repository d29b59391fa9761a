"""What the plugin knows about libraries: one table, read by every rule family.

Classes by their canonical dotted name (with every other import path of the same class), which
of their methods are `async def`, what `async with` / `with` binds, what calling an instance
gives, and which are database sessions, connections, engines or sessionmakers; library
functions that return coroutines, factories and what they return; mock classes; event-loop
APIs; pytest plugins that run async tests themselves. Nothing here reads a file. The entry's
shape is library_class.py's; the application libraries' entries (redis, motor, the SDK
clients...) are in application_libraries.py, joined here.
"""

from __future__ import annotations

import ast

from .application_libraries import APPLICATION_CLASSES, APPLICATION_COROUTINE_FUNCTIONS, APPLICATION_FACTORY_RESULTS
from .library_class import ATTACHED_TO_A_DIFFERENT_LOOP, CONNECTION, ENGINE, SESSION, SESSIONMAKER, LibraryClass
from .mock_api import MOCKER_FIXTURES
from .names import keyword

HTTPX_ASYNC_CLIENT = "httpx.AsyncClient"
ASYNC_SESSION = "sqlalchemy.ext.asyncio.AsyncSession"
ASYNC_CONNECTION = "sqlalchemy.ext.asyncio.AsyncConnection"
ASYNC_ENGINE = "sqlalchemy.ext.asyncio.AsyncEngine"
ASYNC_SESSIONMAKER = "sqlalchemy.ext.asyncio.async_sessionmaker"
SYNC_SESSION = "sqlalchemy.orm.Session"
SYNC_CONNECTION = "sqlalchemy.engine.Connection"
SYNC_ENGINE = "sqlalchemy.engine.Engine"
SYNC_SESSIONMAKER = "sqlalchemy.orm.sessionmaker"
DECLARED_SESSION = "<session>"
"""What a `--session-factories` name gives: a session of a kind the plugin does not know."""

AIOHTTP_SESSION = "aiohttp.ClientSession"
ASYNC_MOCK = "unittest.mock.AsyncMock"
EVENT_LOOP = "asyncio.AbstractEventLoop"
FUTURE = "asyncio.Future"
TASK = "asyncio.Task"

_SESSION_METHODS = frozenset(
    {
        "execute",
        "scalar",
        "scalars",
        "get",
        "get_one",
        "commit",
        "rollback",
        "flush",
        "refresh",
        "close",
        "delete",
        "merge",
        "run_sync",
        "connection",
        "invalidate",
        "reset",
    }
)
_CONNECTION_METHODS = frozenset(
    {
        "execute",
        "scalar",
        "scalars",
        "commit",
        "rollback",
        "close",
        "run_sync",
        "exec_driver_sql",
        "invalidate",
        "get_raw_connection",
    }
)

CLASSES: tuple[LibraryClass, ...] = (
    LibraryClass(
        HTTPX_ASYNC_CLIENT,
        ("httpx._client.AsyncClient",),
        frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "aclose"}),
        enters_as_self="async",
    ),
    LibraryClass(
        ASYNC_SESSION,
        ("sqlalchemy.ext.asyncio.session.AsyncSession", "sqlmodel.ext.asyncio.session.AsyncSession"),
        _SESSION_METHODS,
        enters_as_self="async",
        db_kind=SESSION,
    ),
    LibraryClass(
        ASYNC_CONNECTION,
        ("sqlalchemy.ext.asyncio.engine.AsyncConnection",),
        _CONNECTION_METHODS,
        enters_as_self="async",
        awaits_to_self=True,
        db_kind=CONNECTION,
    ),
    LibraryClass(
        ASYNC_ENGINE,
        ("sqlalchemy.ext.asyncio.engine.AsyncEngine",),
        frozenset({"dispose"}),
        method_results=(("connect", ASYNC_CONNECTION), ("begin", ASYNC_CONNECTION)),
        db_kind=ENGINE,
    ),
    LibraryClass(
        ASYNC_SESSIONMAKER,
        (
            "sqlalchemy.ext.asyncio.session.async_sessionmaker",
            "sqlalchemy.ext.asyncio.async_scoped_session",
            "sqlalchemy.ext.asyncio.scoping.async_scoped_session",
        ),
        call_result=ASYNC_SESSION,
        method_results=(("begin", ASYNC_SESSION),),
        db_kind=SESSIONMAKER,
    ),
    LibraryClass(
        SYNC_SESSION,
        ("sqlalchemy.orm.session.Session", "sqlmodel.Session", "sqlmodel.orm.session.Session"),
        enters_as_self="sync",
        db_kind=SESSION,
    ),
    LibraryClass(
        SYNC_CONNECTION,
        ("sqlalchemy.Connection", "sqlalchemy.engine.base.Connection"),
        enters_as_self="sync",
        db_kind=CONNECTION,
    ),
    LibraryClass(
        SYNC_ENGINE,
        ("sqlalchemy.Engine", "sqlalchemy.engine.base.Engine"),
        method_results=(("connect", SYNC_CONNECTION), ("begin", SYNC_CONNECTION)),
        db_kind=ENGINE,
    ),
    LibraryClass(
        SYNC_SESSIONMAKER,
        (
            "sqlalchemy.orm.session.sessionmaker",
            "sqlalchemy.orm.scoped_session",
            "sqlalchemy.orm.scoping.scoped_session",
        ),
        call_result=SYNC_SESSION,
        method_results=(("begin", SYNC_SESSION),),
        db_kind=SESSIONMAKER,
    ),
    LibraryClass(DECLARED_SESSION, enters_as_self="both", awaits_to_self=True, db_kind=SESSION),

    LibraryClass(
        AIOHTTP_SESSION,
        ("aiohttp.client.ClientSession",),
        frozenset({"close", "_request"}),
        "async",
        loop_bound="'Timeout context manager should be used inside a task'",
    ),
    LibraryClass("asyncio.Event", ("asyncio.locks.Event",), frozenset({"wait"})),
    LibraryClass("asyncio.Lock", ("asyncio.locks.Lock",), frozenset({"acquire"})),
    LibraryClass("asyncio.Semaphore", ("asyncio.locks.Semaphore",), frozenset({"acquire"})),
    LibraryClass("asyncio.BoundedSemaphore", ("asyncio.locks.BoundedSemaphore",), frozenset({"acquire"})),
    LibraryClass("asyncio.Condition", ("asyncio.locks.Condition",), frozenset({"acquire", "wait", "wait_for"})),
    LibraryClass("asyncio.Queue", ("asyncio.queues.Queue",), frozenset({"get", "put", "join"})),
    LibraryClass(
        "asyncio.StreamReader",
        ("asyncio.streams.StreamReader",),
        frozenset({"read", "readline", "readexactly", "readuntil"}),
    ),
    LibraryClass(
        "asyncio.StreamWriter", ("asyncio.streams.StreamWriter",), frozenset({"drain", "wait_closed", "start_tls"})
    ),
    LibraryClass(ASYNC_MOCK, ("mock.AsyncMock",)),
    LibraryClass(
        EVENT_LOOP,
        ("asyncio.events.AbstractEventLoop",),
        method_results=(("create_future", FUTURE), ("create_task", TASK)),
    ),
    LibraryClass(FUTURE, ("asyncio.futures.Future",), loop_bound=ATTACHED_TO_A_DIFFERENT_LOOP),
    LibraryClass(TASK, ("asyncio.tasks.Task",), loop_bound=ATTACHED_TO_A_DIFFERENT_LOOP),
    *APPLICATION_CLASSES,
)
"""Methods that return an awaitable async context manager (aiohttp's `session.get()`,
SQLAlchemy's `engine.connect()`, `stream()`, asyncpg's `pool.acquire()`) are plain defs: not
`async_methods`. aiosqlite's `execute()` is not such a plain def but an `async def` whose
coroutine is also an async context manager: an async method (`async with db.execute(...)` is
silent, as any `async with` is)."""

CLASS_BY_NAME: dict[str, LibraryClass] = {cls.name: cls for cls in CLASSES}
_SPELLINGS: dict[str, str] = {spelling: cls.name for cls in CLASSES for spelling in cls.spellings}


def canonical_class(qualified: str | None) -> str | None:
    """The canonical name of a class for any of its import paths (others are returned as given)."""
    if qualified is None:
        return None
    return _SPELLINGS.get(qualified, qualified)


SYNC_TEST_CLIENTS = frozenset(
    {
        "starlette.testclient.TestClient",
        "fastapi.testclient.TestClient",
        "litestar.testing.TestClient",
        "litestar.testing.client.TestClient",
        "litestar.testing.client.sync_client.TestClient",
    }
)
"""Sync test clients that run the application in an event loop of their own, in a portal thread."""
SYNC_TEST_CLIENT_MODULES = frozenset(name.rpartition(".")[0] for name in SYNC_TEST_CLIENTS)
HTTPX_NETWORK_TRANSPORTS = frozenset({"httpx.AsyncHTTPTransport", "httpx._transports.default.AsyncHTTPTransport"})
"""httpx's own transport, which opens sockets (ASGITransport and MockTransport open none)."""
HTTPX_TRANSPORT_MOCKS = ("respx", "pytest_httpx", "httpx_mock")
"""Libraries (and pytest-httpx's fixture) that replace httpx's transport in tests: no socket opens."""


def library_class(type_name: str | None) -> LibraryClass | None:
    return CLASS_BY_NAME.get(type_name or "")


def engine_without_pool(call: ast.Call) -> bool:
    """`create_async_engine(..., poolclass=NullPool)`: each connection is made for one use and
    closed as it is given back, so none outlives the loop or the test that used it."""
    pool = keyword(call, "poolclass")
    return (pool.attr if isinstance(pool, ast.Attribute) else getattr(pool, "id", None)) == "NullPool"


def async_methods(type_name: str | None) -> frozenset[str]:
    cls = CLASS_BY_NAME.get(type_name or "")
    return cls.async_methods if cls is not None else frozenset()


def db_kind(type_name: str | None) -> str | None:
    cls = CLASS_BY_NAME.get(type_name or "")
    return cls.db_kind if cls is not None else None


# -- functions ----------------------------------------------------------------------------------

COROUTINE_FUNCTIONS = frozenset(
    {
        "asyncio.sleep",
        "asyncio.wait_for",
        "asyncio.wait",
        "asyncio.open_connection",
        "asyncio.open_unix_connection",
        "asyncio.start_server",
        "asyncio.start_unix_server",
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
        "asyncio.to_thread",
        "anyio.sleep",
        "anyio.sleep_forever",
        "anyio.sleep_until",
        "anyio.to_thread.run_sync",
        "anyio.to_process.run_sync",
        "anyio.connect_tcp",
        "anyio.connect_unix",
        "anyio.create_tcp_listener",
        "anyio.create_unix_listener",
        "anyio.open_file",
        "anyio.run_process",
        "anyio.wait_all_tasks_blocked",
        "anyio.lowlevel.checkpoint",
        "trio.sleep",
        "trio.sleep_forever",
        "trio.sleep_until",
        "trio.open_tcp_stream",
        "trio.open_file",
        "trio.run_process",
        "trio.to_thread.run_sync",
        "trio.lowlevel.checkpoint",
        "trio.testing.wait_all_tasks_blocked",
        *APPLICATION_COROUTINE_FUNCTIONS,
    }
)
"""Module-level library functions that return a coroutine (not an awaitable context manager,
not a future or task)."""

SHARED_LOOP_GETTERS = frozenset({"asyncio.get_event_loop", "asyncio.events.get_event_loop", "asyncio.get_running_loop"})
"""They return a loop someone else made and will close: closing it is not the caller's job."""
GET_EVENT_LOOP = frozenset(name for name in SHARED_LOOP_GETTERS if name.endswith("get_event_loop"))
FACTORY_RESULTS = {
    "sqlalchemy.create_engine": SYNC_ENGINE,
    "sqlalchemy.engine.create_engine": SYNC_ENGINE,
    "sqlmodel.create_engine": SYNC_ENGINE,
    "sqlalchemy.ext.asyncio.create_async_engine": ASYNC_ENGINE,
    "sqlalchemy.ext.asyncio.engine.create_async_engine": ASYNC_ENGINE,
    "pytest_mock.MockerFixture.AsyncMock": ASYNC_MOCK,
    "asyncio.new_event_loop": EVENT_LOOP,
    "asyncio.create_task": TASK,
    "asyncio.ensure_future": TASK,
    **{getter: EVENT_LOOP for getter in SHARED_LOOP_GETTERS},
    **APPLICATION_FACTORY_RESULTS,
}
"""Library functions and what they return."""
ENGINE_FACTORIES = frozenset(name for name, result in FACTORY_RESULTS.items() if db_kind(result) == ENGINE)

TASK_FACTORIES = frozenset({"asyncio.create_task", "asyncio.ensure_future"})
TASK_STARTERS = frozenset({"create_task", "ensure_future", "start_soon", "start_server", "start_unix_server"})
"""Last names of calls that start work on the running loop that outlives the call (ATS404: a
fixture leaves work there, which does not run while a test in another loop runs)."""
CALLBACK_SCHEDULERS = frozenset({"call_soon", "call_later", "call_at"})
"""Loop methods that leave a callback on the loop (ATS404, as TASK_STARTERS)."""
COROUTINE_CONSUMERS = frozenset(
    {"run", "run_until_complete", "gather", "wait_for", *(name.rpartition(".")[2] for name in TASK_FACTORIES)}
)
"""Last names of calls that run, await or schedule the coroutine they are given (`asyncio.run(c)`,
`loop.run_until_complete(c)`, `asyncio.gather(c)`, `asyncio.create_task(c)`): ATS102's requesters
that do one of these with a sync fixture's coroutine await it after all."""
NESTED_LOOP_RUNNERS = frozenset({"asyncio.run", "asyncio.Runner", "asyncio.runners.run", "asyncio.runners.Runner"})
"""Calls that start a loop of their own: inside a coroutine they fail (ATS406)."""
LOOP_RUNNING_METHODS = frozenset({"run_until_complete", "run_forever"})
RUN_FUNCTION_MODULES = frozenset({"asyncio", "anyio", "trio"})
"""`loop.run_until_complete(...)`, `loop.run_forever()`, and `asyncio.run` / `anyio.run` /
`trio.run`: a sync function that calls one of these runs an event loop itself."""
SCHEDULE_IT = "hand over a sync function that schedules it (lambda: loop.create_task(fn())), or await it"
RUN_IT = "hand over a sync function that runs it (lambda: asyncio.run(fn()))"
SYNC_CALLBACK_METHODS = {
    # method: (receiver types, position of the callback, how to fix it)
    "addfinalizer": (frozenset({"pytest.FixtureRequest"}), 0, "make the fixture async and await it after its yield"),
    **{
        method: (frozenset({EVENT_LOOP}), position, SCHEDULE_IT)
        for method, position in (
            ("call_soon", 0),
            ("call_soon_threadsafe", 0),
            ("call_later", 1),
            ("call_at", 1),
            ("add_signal_handler", 1),
            ("add_reader", 1),
            ("add_writer", 1),
        )
    },
    "add_done_callback": (frozenset({FUTURE, TASK}), 0, SCHEDULE_IT),
}
"""Methods that call the function they are given without awaiting what it returns (ATS104): a
coroutine function given to them makes a coroutine that is dropped."""
SYNC_CALLBACK_FUNCTIONS = {
    # function: (position of the callback, its keyword, how to fix it)
    "atexit.register": (0, "func", RUN_IT),
    "signal.signal": (1, "handler", SCHEDULE_IT),
    "threading.Thread": (1, "target", RUN_IT),
    "threading.Timer": (1, "function", RUN_IT),
}
"""The same for library functions and classes."""
POLICY_FUNCTIONS = frozenset({"asyncio.get_event_loop_policy", "asyncio.set_event_loop_policy"})
POLICY_MODULES = frozenset({"asyncio", "uvloop"})

YIELDING_ANNOTATIONS = frozenset(
    f"{module}.{name}"
    for module in ("typing", "collections.abc", "typing_extensions")
    for name in ("AsyncIterator", "AsyncGenerator", "AsyncIterable", "Iterator", "Generator", "Iterable")
)
"""`-> AsyncIterator[X]`, `-> Generator[X, None, None]`: a generator fixture that yields an X."""

# -- fixtures of pytest and its plugins --------------------------------------------------------

AWAITABLE_FACTORY = "<awaitable factory>"
PLUGIN_FIXTURES = {
    "aiohttp_client": AWAITABLE_FACTORY,
    "aiohttp_server": AWAITABLE_FACTORY,
    "aiohttp_raw_server": AWAITABLE_FACTORY,
    "httpx_mock": "pytest_httpx.HTTPXMock",
    **{name: "pytest_mock.MockerFixture" for name in MOCKER_FIXTURES},
    "tmp_path": "pathlib.Path",
    "monkeypatch": "pytest.MonkeyPatch",
    "request": "pytest.FixtureRequest",
    "capsys": "pytest.CaptureFixture",
    "caplog": "pytest.LogCaptureFixture",
}
"""What well-known fixtures hand over when no fixture of the project has their name: pytest-aiohttp's
client and server factories return coroutines (a missing await there is ATS101); the others hold
nothing async."""

# -- pytest plugins -----------------------------------------------------------------------------

ASYNC_RUNNER_PLUGINS = (
    "aiohttp.pytest_plugin",
    "anyio",
    "pytest_trio",
    "trio",
    "pytest_tornasync",
    "pytest_tornado",
    "pytest_twisted",
    "twisted",
)
"""Plugins that run coroutine tests (and async fixtures) themselves."""
ORDINARY_PLUGINS = ("pytester", "pytest_asyncio", "asyncio", "pytest_mock", "xdist", "pytest_cov", "pytest_aiohttp")
"""Plugins known not to run coroutines apart from pytest-asyncio. pytest-aiohttp >= 1.0 hands
async tests to pytest-asyncio: it defines no pytest_pyfunc_call (only aiohttp.pytest_plugin does)."""
