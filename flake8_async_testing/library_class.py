"""The shape of an entry of the library table (libraries.py) and the database kinds it names:
what the plugin knows of one library class."""

from __future__ import annotations

import dataclasses

# -- kinds of objects the rules care about ----------------------------------------------------

SESSION, CONNECTION, ENGINE, SESSIONMAKER = "session", "connection", "engine", "sessionmaker"
"""Database kinds (ATS3xx)."""

ATTACHED_TO_A_DIFFERENT_LOOP = "'got Future ... attached to a different loop'"
ASYNCPG_IN_ANOTHER_LOOP = f"asyncpg's 'another operation is in progress', or {ATTACHED_TO_A_DIFFERENT_LOOP}"
"""What using a loop-bound object in another event loop raises (LibraryClass.loop_bound)."""


@dataclasses.dataclass(frozen=True)
class LibraryClass:
    name: str
    """The canonical dotted name."""
    spellings: tuple[str, ...] = ()
    """Other import paths of the same class."""
    async_methods: frozenset[str] = frozenset()
    """`async def` methods: calling one returns a coroutine, `patch()` makes an AsyncMock of it."""
    enters_as_self: str | None = None
    """`async` / `sync` / `both`: `async with X as name` / `with X as name` binds name to X itself."""
    awaits_to_self: bool = False
    """`await X` gives X (SQLAlchemy's `await engine.connect()`)."""
    call_result: str | None = None
    """The class of what calling an instance gives (a sessionmaker gives a session)."""
    method_results: tuple[tuple[str, str], ...] = ()
    """(method, class): what `X.method()` gives, used directly or entered by `with`."""
    db_kind: str | None = None
    loop_bound: str | None = None
    """What fails when it is used in another event loop than the one it was made in (the
    run-time error), by run-time evidence (tests/test_runtime_premises.py,
    tests/test_client_premises.py); None for classes not known to be bound. Plain data, an httpx
    client on ASGITransport, an aiosqlite-backed AsyncSession and an unused asyncio.Lock cross
    loops fine there."""
    plain_awaitable_methods: frozenset[str] = frozenset()
    """Names of `async_methods` that are plain defs returning an awaitable (generated, or behind
    a decorator): `patch()` replaces those with a MagicMock, not an AsyncMock."""
    other_methods_async: bool = False
    """Every public method not in `sync_methods` returns an awaitable that must be awaited
    (redis.asyncio's commands are plain defs returning coroutines; aiocache's methods)."""
    sync_methods: frozenset[str] = frozenset()
    """Methods known to return at once (`pipeline()`, `with_options()`, a cursor or a paginator):
    never a missing await, even where other methods of the class are async."""
    attribute_types: tuple[tuple[str, str], ...] = ()
    """(attribute, class): what reading an attribute gives (`client.chat` of an AsyncOpenAI)."""
    other_attributes_type: str | None = None
    """The class of what reading any other public attribute gives (an SDK's nested resources)."""

    def method_is_coroutine(self, method: str) -> bool:
        """Does calling this method give an awaitable? The table is the whole truth for its classes."""
        if method in self.async_methods:
            return True
        return self.other_methods_async and not method.startswith("_") and method not in self.sync_methods

    def method_is_async_def(self, method: str) -> bool:
        """Is the method an `async def` (what `patch()` replaces with an AsyncMock)? Methods that
        `other_methods_async` makes awaitable are plain defs."""
        return method in self.async_methods and method not in self.plain_awaitable_methods

    def attribute_type(self, attribute: str) -> str | None:
        found = dict(self.attribute_types).get(attribute)
        if found is None and not attribute.startswith("_") and attribute not in self.sync_methods:
            found = self.other_attributes_type
        return found
