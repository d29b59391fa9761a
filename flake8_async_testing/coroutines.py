"""Which calls return a coroutine: the one resolver the missing-await and mock rules share.

Known coroutine callables are `async def` functions and methods of the module, of the project's
own modules it imports (found as files under the project roots, parsed once per process, never
imported), a table of library APIs, instances whose type is known (annotation, constructor,
`async with X(...) as name`), and what the user declares in the options.
"""

from __future__ import annotations

import ast
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .pytest_model import ClassFacts, Decorated, ModuleFacts

if TYPE_CHECKING:
    from .context import FileContext

LIBRARY_COROUTINE_FUNCTIONS = frozenset(
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
    }
)
"""Module-level library functions that return a coroutine (not an awaitable context manager,
not a future or task)."""

HTTPX_ASYNC_CLIENT = "httpx.AsyncClient"
ASYNC_SESSION = "sqlalchemy.ext.asyncio.AsyncSession"
ASYNC_CONNECTION = "sqlalchemy.ext.asyncio.AsyncConnection"
ASYNC_ENGINE = "sqlalchemy.ext.asyncio.AsyncEngine"
ASYNC_SESSIONMAKER = "sqlalchemy.ext.asyncio.async_sessionmaker"
AIOHTTP_SESSION = "aiohttp.ClientSession"
ASYNC_MOCK = "unittest.mock.AsyncMock"

ASYNC_METHODS: dict[str, frozenset[str]] = {
    HTTPX_ASYNC_CLIENT: frozenset(
        {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "aclose"}
    ),
    ASYNC_SESSION: frozenset(
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
    ),
    ASYNC_CONNECTION: frozenset(
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
    ),
    ASYNC_ENGINE: frozenset({"dispose"}),
    AIOHTTP_SESSION: frozenset({"close", "_request"}),
    "asyncio.Event": frozenset({"wait"}),
    "asyncio.Lock": frozenset({"acquire"}),
    "asyncio.Semaphore": frozenset({"acquire"}),
    "asyncio.BoundedSemaphore": frozenset({"acquire"}),
    "asyncio.Condition": frozenset({"acquire", "wait", "wait_for"}),
    "asyncio.Queue": frozenset({"get", "put", "join"}),
    "asyncio.StreamReader": frozenset({"read", "readline", "readexactly", "readuntil"}),
    "asyncio.StreamWriter": frozenset({"drain", "wait_closed", "start_tls"}),
}
"""`async def` methods: calling one returns a coroutine, and `patch()` replaces one with an
AsyncMock. Methods that return an awaitable async context manager (aiohttp's
`session.get()`, SQLAlchemy's `engine.connect()`, `stream()`) are plain defs: not listed."""

TYPE_SPELLINGS = {
    "httpx._client.AsyncClient": HTTPX_ASYNC_CLIENT,
    "httpx2.AsyncClient": HTTPX_ASYNC_CLIENT,
    "sqlalchemy.ext.asyncio.session.AsyncSession": ASYNC_SESSION,
    "sqlalchemy.ext.asyncio.engine.AsyncConnection": ASYNC_CONNECTION,
    "sqlalchemy.ext.asyncio.engine.AsyncEngine": ASYNC_ENGINE,
    "sqlalchemy.ext.asyncio.session.async_sessionmaker": ASYNC_SESSIONMAKER,
    "aiohttp.client.ClientSession": AIOHTTP_SESSION,
    "mock.AsyncMock": ASYNC_MOCK,
    "asyncio.locks.Event": "asyncio.Event",
    "asyncio.locks.Lock": "asyncio.Lock",
    "asyncio.locks.Semaphore": "asyncio.Semaphore",
    "asyncio.locks.BoundedSemaphore": "asyncio.BoundedSemaphore",
    "asyncio.locks.Condition": "asyncio.Condition",
    "asyncio.queues.Queue": "asyncio.Queue",
    "asyncio.streams.StreamReader": "asyncio.StreamReader",
    "asyncio.streams.StreamWriter": "asyncio.StreamWriter",
}
"""Other import paths of the same classes."""

FACTORY_RESULTS = {
    "sqlalchemy.ext.asyncio.create_async_engine": ASYNC_ENGINE,
    "sqlalchemy.ext.asyncio.engine.create_async_engine": ASYNC_ENGINE,
    "pytest_mock.MockerFixture.AsyncMock": ASYNC_MOCK,
}
CALL_RESULTS = {ASYNC_SESSIONMAKER: ASYNC_SESSION}
"""What calling an instance of the type gives."""
ASYNC_WITH_METHOD_RESULTS = {(ASYNC_ENGINE, "connect"): ASYNC_CONNECTION, (ASYNC_ENGINE, "begin"): ASYNC_CONNECTION}
"""`async with engine.connect() as conn`: what the name is bound to."""
SELF_ENTERING_TYPES = frozenset({HTTPX_ASYNC_CLIENT, ASYNC_SESSION, ASYNC_CONNECTION, AIOHTTP_SESSION})
"""`async with X as name` binds name to X itself."""

LOCAL_CLASS_PREFIX = "<module>."


def canonical_type(qualified: str | None) -> str | None:
    if qualified is None:
        return None
    return TYPE_SPELLINGS.get(qualified, qualified)


class CoroutineResolver:
    """Answers "does calling this return a coroutine?" for one file."""

    def __init__(self, context: FileContext, extra_functions: frozenset[str], extra_classes: frozenset[str]) -> None:
        self.context = context
        self.module = context.module
        self.extra_functions = extra_functions
        self.extra_classes = extra_classes
        self._answers: dict[str, bool] = {}
        self._search_roots = _search_roots(str(context.path.parent), str(context.config.root or ""))

    # -- functions --------------------------------------------------------------------------

    def module_function(self, name: str) -> Decorated | None:
        return self.module.top_level_functions.get(name)

    def is_coroutine_function(self, qualified: str) -> bool:
        """A dotted name from the imports: a library, user-declared or project function."""
        known = self._answers.get(qualified)
        if known is None:
            known = self._answers[qualified] = self._is_coroutine_function(qualified)
        return known

    def _is_coroutine_function(self, qualified: str) -> bool:
        if qualified in LIBRARY_COROUTINE_FUNCTIONS or qualified in self.extra_functions:
            return True
        owner, _, method = qualified.rpartition(".")
        if method in ASYNC_METHODS.get(canonical_type(owner) or "", ()):
            return True  # `aiohttp.ClientSession.close`, as a patch target
        definition = self.project_definition(qualified, self.context.filename)
        return definition is not None and definition.is_coroutine_function

    def project_definition(self, qualified: str, from_file: str, depth: int = 0) -> Decorated | None:
        """The def a dotted name stands for in the project's own modules, following
        re-exports (`from .services import create_user` in a package's __init__)."""
        if depth > 3:
            return None
        bases, dotted = self._bases_for(qualified, from_file)
        if not _top_level_exists(dotted.partition(".")[0], bases):
            return None
        parts = dotted.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module = _module_file(".".join(parts[:split]), bases)
            if module is None:
                continue
            attribute = parts[split:]
            if len(attribute) == 1:
                found = module.top_level_functions.get(attribute[0])
                if found is not None:
                    return found
                alias = module.imports.aliases.get(attribute[0])
                if alias is not None:
                    return self.project_definition(alias, module.path, depth + 1)
            elif len(attribute) == 2 and attribute[0] in module.class_by_name:
                return self.method_of(module, module.class_by_name[attribute[0]], attribute[1], depth)
            return None
        return None

    def project_assignment(self, qualified: str, from_file: str, depth: int = 0) -> tuple[ModuleFacts, ast.Call] | None:
        """The call a project module assigns to a top-level name (`SessionLocal = sessionmaker(...)`),
        with that module, following re-exports."""
        if depth > 3:
            return None
        bases, dotted = self._bases_for(qualified, from_file)
        module_name, _, attribute = dotted.rpartition(".")
        if not module_name or not _top_level_exists(dotted.partition(".")[0], bases):
            return None
        module = _module_file(module_name, bases)
        if module is None:
            return None
        call = module.assigned_calls.get(attribute)
        if call is not None:
            return module, call
        alias = module.imports.aliases.get(attribute)
        return self.project_assignment(alias, module.path, depth + 1) if alias else None

    def method_of(self, module: ModuleFacts, cls: ClassFacts, method: str, depth: int = 0) -> Decorated | None:
        """A method by name, through base classes of the same module and of project modules."""
        found = class_method(module, cls, method)
        if found is not None or depth > 3:
            return found
        for base in cls.base_names:
            if base and base not in module.class_by_name and base != "object":
                found = self.project_definition(f"{base}.{method}", module.path, depth + 1)
                if found is not None:
                    return found
        return None

    def _bases_for(self, qualified: str, from_file: str) -> tuple[tuple[str, ...], str]:
        """Where to look for a dotted name: a relative import (`..helpers.f`) from the
        importing file's package, anything else from the project's roots."""
        if not qualified.startswith("."):
            return self._search_roots, qualified
        level = len(qualified) - len(qualified.lstrip("."))
        folder = Path(os.path.abspath(from_file)).parent
        for _ in range(level - 1):
            folder = folder.parent
        return (str(folder),), qualified[level:]

    # -- types ------------------------------------------------------------------------------

    def type_of_name(self, qualified: str | None, local_name: str | None = None) -> str | None:
        """The canonical type a class expression stands for (annotation or constructor)."""
        if qualified is None and local_name is not None and local_name in self.module.class_by_name:
            return LOCAL_CLASS_PREFIX + local_name
        return canonical_type(qualified)

    def constructed_type(self, qualified: str | None, local_name: str | None = None) -> str | None:
        """The type of `X(...)`: an instance of class X, or what a known factory returns."""
        if qualified in FACTORY_RESULTS:
            return FACTORY_RESULTS[qualified]
        type_name = self.type_of_name(qualified, local_name)
        if type_name is None or type_name in LIBRARY_COROUTINE_FUNCTIONS:
            return None
        return type_name

    def method_is_coroutine(self, type_name: str, method: str) -> bool:
        key = f"{type_name}#{method}"
        known = self._answers.get(key)
        if known is None:
            known = self._answers[key] = self._method_is_coroutine(type_name, method)
        return known

    def _method_is_coroutine(self, type_name: str, method: str) -> bool:
        if method in ASYNC_METHODS.get(type_name, ()):
            return True
        if type_name in self.extra_classes:
            return not method.startswith("_")
        if f"{type_name}.{method}" in self.extra_functions:
            return True
        if type_name.startswith(LOCAL_CLASS_PREFIX):
            cls = self.module.class_by_name.get(type_name[len(LOCAL_CLASS_PREFIX) :])
            definition = self.method_of(self.module, cls, method) if cls else None
        else:
            definition = self.project_definition(f"{type_name}.{method}", self.context.filename)
        return definition is not None and definition.is_coroutine_function

    @staticmethod
    def instance_call_is_coroutine(type_name: str) -> bool:
        """`mock()` for an AsyncMock instance."""
        return type_name == ASYNC_MOCK


def class_method(module: ModuleFacts, cls: ClassFacts, name: str, depth: int = 0) -> Decorated | None:
    """A method of a module-level class by name, looking through base classes of the module."""
    for node, definition in cls.methods.items():
        if node.name == name:
            return definition
    if depth > 10:
        return None
    for base in cls.base_names:
        base_class = module.class_by_name.get(base or "")
        if base_class is not None and base_class is not cls:
            found = class_method(module, base_class, name, depth + 1)
            if found is not None:
                return found
    return None


@lru_cache(maxsize=None)
def _search_roots(file_folder: str, pytest_root: str) -> tuple[str, ...]:
    """Folders a project import may start from: the pytest root, the packaging root, the
    folder pytest puts on sys.path for this file (above its package), each with its src/."""
    folder_path = Path(file_folder)
    candidates: list[Path | None] = [Path(pytest_root) if pytest_root else None]
    for folder in (folder_path, *folder_path.parents):
        if any((folder / marker).is_file() for marker in ("pyproject.toml", "setup.cfg", "setup.py")):
            candidates.append(folder)
            break
    basedir = folder_path
    while (basedir / "__init__.py").is_file() and basedir.parent != basedir:
        basedir = basedir.parent
    candidates.append(basedir)
    roots: list[str] = []
    for folder in candidates:
        if folder is None:
            continue
        for root in (folder, folder / "src"):
            if str(root) not in roots and root.is_dir():
                roots.append(str(root))
    return tuple(roots)


@lru_cache(maxsize=None)
def _top_level_exists(name: str, bases: tuple[str, ...]) -> bool:
    """Is there a module or package of that name in the project at all? (Most dotted names
    in a test file are the standard library's or third-party: answered without more look-ups.)"""
    return any(
        os.path.exists(os.path.join(base, name + ".py")) or os.path.isdir(os.path.join(base, name)) for base in bases
    )


@lru_cache(maxsize=None)
def _module_file(dotted: str, bases: tuple[str, ...]) -> ModuleFacts | None:
    """A project module's facts, found as a file under one of the bases (parsed once per
    process), or None."""
    from .context import facts_of_file

    parts = dotted.split(".")
    if not all(part.isidentifier() for part in parts):
        return None
    for base in bases:
        target = Path(base, *parts)
        for candidate in (target.with_suffix(".py"), target / "__init__.py"):
            if candidate.is_file():
                return facts_of_file(str(candidate))
    return None
