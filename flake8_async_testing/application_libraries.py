"""The library table's entries for the async libraries application suites use most: httpx2,
redis.asyncio (and fakeredis), motor, aiosqlite, asyncpg, aiofiles, tortoise and beanie models,
aiocache, and (from sdk_libraries.py) the openai and anthropic async clients. Each entry was checked against the
library's source or at run time (tests/test_library_table.py keeps checking a sample where the
library is installed); libraries.py joins them to the rest of the table."""

from __future__ import annotations

from .library_class import ASYNCPG_IN_ANOTHER_LOOP, LibraryClass
from .sdk_libraries import SDK_CLASSES


HTTPX2_ASYNC_CLIENT = "httpx2.AsyncClient"
REDIS = "redis.asyncio.Redis"
MOTOR_CLIENT = "motor.motor_asyncio.AsyncIOMotorClient"
MOTOR_DATABASE = "motor.motor_asyncio.AsyncIOMotorDatabase"
MOTOR_COLLECTION = "motor.motor_asyncio.AsyncIOMotorCollection"
AIOSQLITE_CONNECTION = "aiosqlite.Connection"
AIOSQLITE_CURSOR = "aiosqlite.Cursor"
ASYNCPG_POOL = "asyncpg.Pool"
ASYNCPG_CONNECTION = "asyncpg.Connection"
ASYNCPG_TRANSACTION = "asyncpg.transaction.Transaction"
AIOFILES_FILE = "aiofiles.<file>"
"""What `aiofiles.open()` gives: one of four generated handle classes, by the mode (below)."""
AIOCACHE_CACHE = "aiocache.base.BaseCache"
_REDIS_SYNC_METHODS = frozenset(
    {
        # async generators: `async for key in r.scan_iter()`
        "scan_iter",
        "hscan_iter",
        "sscan_iter",
        "zscan_iter",
        "bless_scan_iter",
        # build an object: a client, a pipeline, a pub/sub, a lock, a script, module commands
        "from_url",
        "from_pool",
        "client",
        "pipeline",
        "pubsub",
        "monitor",
        "lock",
        "register_script",
        "bitfield",
        "keyspace_notifications",
        "bf",
        "cf",
        "cms",
        "ft",
        "graph",  # redis 4.x and 5.x
        "json",
        "tdigest",
        "topk",
        "ts",
        "vset",
        # the client's own settings, and a digest computed locally
        "get_connection_kwargs",
        "get_encoder",
        "get_retry",
        "set_retry",
        "set_response_callback",
        "load_external_module",
        "digest_local",
        # raise NotImplementedError at once
        "command_docs",
        "failover",
        "hello",
        "latency_doctor",
        "latency_graph",
        "latency_histogram",
    }
)
"""Every public method of redis.asyncio.Redis that neither is `async def` nor returns
`self.execute_command(...)` (a coroutine), in redis 4.6, 5.0, 6.4, 7.4 and 8.2."""

_MOTOR_COLLECTION_ASYNC = frozenset(
    {
        "bulk_write",
        "count_documents",
        "create_index",
        "create_indexes",
        "create_search_index",
        "create_search_indexes",
        "delete_many",
        "delete_one",
        "distinct",
        "drop",
        "drop_index",
        "drop_indexes",
        "drop_search_index",
        "estimated_document_count",
        "find_one",
        "find_one_and_delete",
        "find_one_and_replace",
        "find_one_and_update",
        "index_information",
        "insert_many",
        "insert_one",
        "options",
        "rename",
        "replace_one",
        "update_many",
        "update_one",
        "update_search_index",
    }
)
"""Motor's collection methods that return a future to await: generated, none an `async def`."""

_MOTOR_NOT_SUB_OBJECTS = frozenset(
    {
        "delegate",  # the PyMongo object (sync) behind the Motor one
        "get_io_loop",
        "io_loop",
        "wrap",
        "codec_options",
        "read_concern",
        "read_preference",
        "write_concern",
        "watch",  # a change stream
        "with_options",
    }
)
"""Shared by Motor's client, database and collection: sync methods, and attributes that are not
a database or collection (an attribute read gives one otherwise: `client.app.users`)."""

_AIOFILES_ASYNC_METHODS = frozenset(
    {
        "close",
        "flush",
        "isatty",
        "read",
        "readline",
        "readlines",
        "seek",
        "seekable",
        "tell",
        "truncate",
        "writable",
        "write",
        "writelines",
    }
)
"""`async def` on every handle class of aiofiles 23.2, 24.1 and 25.1 (plain defs returning a
future in 0.8). `readable()` is async on text handles only: a sync proxy on binary ones."""


APPLICATION_CLASSES: tuple[LibraryClass, ...] = (
    # -- application libraries ----------------------------------------------------------------------
    # Each checked against the installed library (tests/test_library_table.py repeats a sample):
    # `inspect.iscoroutinefunction`, the source of plain defs, or a call at run time.
    #
    # httpx2 2.17 (a class of its own, no longer a spelling of httpx's): httpx's AsyncClient and
    # `query`; `stream`, `sse` and `websocket` are async context managers, `build_request` is sync.
    LibraryClass(
        HTTPX2_ASYNC_CLIENT,
        ("httpx2._client.AsyncClient",),
        frozenset({"get", "post", "put", "patch", "delete", "head", "options", "query", "request", "send", "aclose"}),
        enters_as_self="async",
    ),
    # redis 4.6, 5.0, 6.4, 7.4 and 8.2 (redis.asyncio): the commands are plain defs returning
    # `self.execute_command(...)`, a coroutine (8.2 at run time: 336 of them); `await Redis()` and
    # `async with Redis()` give the client. fakeredis 2.41's async FakeRedis subclasses it and
    # adds only `from_url` (sync).
    LibraryClass(
        REDIS,
        (
            "redis.asyncio.client.Redis",
            "redis.asyncio.StrictRedis",
            "redis.asyncio.client.StrictRedis",
            "fakeredis.FakeAsyncRedis",
            "fakeredis.aioredis.FakeRedis",
            "fakeredis._clients._async.FakeRedis",
        ),
        enters_as_self="async",
        awaits_to_self=True,
        other_methods_async=True,
        sync_methods=_REDIS_SYNC_METHODS,
    ),
    # motor 3.7, called at run time on a client with no server: these return a Future (or are
    # `async def`); find / aggregate / list_indexes give cursors, watch a change stream.
    LibraryClass(
        MOTOR_CLIENT,
        async_methods=frozenset(
            {"bulk_write", "drop_database", "list_databases", "list_database_names", "server_info", "start_session"}
        ),
        method_results=(("get_database", MOTOR_DATABASE), ("get_default_database", MOTOR_DATABASE)),
        sync_methods=_MOTOR_NOT_SUB_OBJECTS
        | {
            "close",
            "get_database",
            "get_default_database",
            # properties, not databases
            "HOST",
            "PORT",
            "address",
            "arbiters",
            "is_mongos",
            "is_primary",
            "nodes",
            "options",
            "primary",
            "secondaries",
            "topology_description",
        },
        other_attributes_type=MOTOR_DATABASE,
        plain_awaitable_methods=frozenset({"bulk_write", "drop_database", "list_database_names", "server_info"}),
    ),
    LibraryClass(
        MOTOR_DATABASE,
        async_methods=frozenset(
            {
                "command",
                "create_collection",
                "cursor_command",
                "dereference",
                "drop_collection",
                "list_collection_names",
                "list_collections",
                "validate_collection",
            }
        ),
        method_results=(("get_collection", MOTOR_COLLECTION), ("with_options", MOTOR_DATABASE)),
        sync_methods=_MOTOR_NOT_SUB_OBJECTS | {"aggregate", "get_collection", "name"},
        attribute_types=(("client", MOTOR_CLIENT),),
        other_attributes_type=MOTOR_COLLECTION,
        plain_awaitable_methods=frozenset(
            {"command", "dereference", "drop_collection", "list_collection_names", "validate_collection"}
        ),
    ),
    LibraryClass(
        MOTOR_COLLECTION,
        async_methods=_MOTOR_COLLECTION_ASYNC,
        method_results=(("with_options", MOTOR_COLLECTION),),
        sync_methods=_MOTOR_NOT_SUB_OBJECTS
        | {
            "aggregate",
            "aggregate_raw_batches",
            "find",
            "find_raw_batches",
            "list_indexes",
            "list_search_indexes",
            "name",
            "full_name",
        },
        attribute_types=(("database", MOTOR_DATABASE),),
        other_attributes_type=MOTOR_COLLECTION,  # `db.users.archive`: a sub-collection
        plain_awaitable_methods=_MOTOR_COLLECTION_ASYNC,  # generated: none is an `async def`
    ),
    # aiosqlite 0.17, 0.19, 0.20, 0.21, 0.22: `async def` (execute and cursor under a decorator that
    # makes the coroutine an async context manager too); `connect()` gives a Connection that
    # `await` and `async with` start and give back.
    LibraryClass(
        AIOSQLITE_CONNECTION,
        ("aiosqlite.core.Connection",),
        frozenset(
            {
                "backup",
                "close",
                "commit",
                "create_function",
                "cursor",
                "enable_load_extension",
                "execute",
                "execute_fetchall",
                "execute_insert",
                "executemany",
                "executescript",
                "interrupt",
                "load_extension",
                "rollback",
                "set_authorizer",
                "set_progress_handler",
                "set_trace_callback",
            }
        ),
        enters_as_self="async",
        awaits_to_self=True,
        sync_methods=frozenset({"iterdump"}),  # an async generator
        plain_awaitable_methods=frozenset(
            {"cursor", "execute", "execute_fetchall", "execute_insert", "executemany", "executescript"}
        ),
    ),
    LibraryClass(
        AIOSQLITE_CURSOR,
        ("aiosqlite.cursor.Cursor",),
        frozenset({"close", "execute", "executemany", "executescript", "fetchall", "fetchmany", "fetchone"}),
        enters_as_self="async",
    ),
    # asyncpg 0.27, 0.29, 0.32: `async def`; `create_pool()` gives a Pool that `await` and
    # `async with` start and give back; `pool.acquire()` is an awaitable async context manager
    # giving a connection (hence awaits_to_self on Connection, for `await pool.acquire()`);
    # `conn.transaction()` and `conn.cursor()` are sync.
    LibraryClass(
        ASYNCPG_POOL,
        ("asyncpg.pool.Pool",),
        frozenset(
            {
                "close",
                "copy_from_query",
                "copy_from_table",
                "copy_records_to_table",
                "copy_to_table",
                "execute",
                "executemany",
                "expire_connections",
                "fetch",
                "fetchmany",
                "fetchrow",
                "fetchval",
                "release",
            }
        ),
        enters_as_self="async",
        awaits_to_self=True,
        method_results=(("acquire", ASYNCPG_CONNECTION),),
        sync_methods=frozenset({"acquire", "terminate"}),
        loop_bound=ASYNCPG_IN_ANOTHER_LOOP,
    ),
    LibraryClass(
        ASYNCPG_CONNECTION,
        ("asyncpg.connection.Connection",),
        frozenset(
            {
                "add_listener",
                "close",
                "copy_from_query",
                "copy_from_table",
                "copy_records_to_table",
                "copy_to_table",
                "execute",
                "executemany",
                "fetch",
                "fetchmany",
                "fetchrow",
                "fetchval",
                "prepare",
                "reload_schema_state",
                "remove_listener",
                "reset",
                "reset_type_codec",
                "set_builtin_type_codec",
                "set_type_codec",
            }
        ),
        awaits_to_self=True,
        method_results=(("transaction", ASYNCPG_TRANSACTION),),
        sync_methods=frozenset({"cursor", "is_closed", "terminate", "transaction"}),
        loop_bound=ASYNCPG_IN_ANOTHER_LOOP,
    ),
    LibraryClass(
        ASYNCPG_TRANSACTION,
        async_methods=frozenset({"start", "commit", "rollback"}),
        plain_awaitable_methods=frozenset({"start", "commit", "rollback"}),  # behind a sync decorator
    ),
    # aiofiles 0.8, 23.2, 24.1, 25.1: `open()` gives an awaitable async context manager whose
    # result is one of the handle classes below (by the mode); their I/O methods are `async def`
    # (0.8: plain defs returning a future), fileno / detach and the binary `readable` are sync.
    LibraryClass(AIOFILES_FILE, async_methods=_AIOFILES_ASYNC_METHODS, enters_as_self="async", awaits_to_self=True),
    LibraryClass(
        "aiofiles.threadpool.text.AsyncTextIOWrapper",
        ("aiofiles.threadpool.AsyncTextIOWrapper",),
        _AIOFILES_ASYNC_METHODS | {"readable"},
        sync_methods=frozenset({"detach", "fileno"}),
    ),
    LibraryClass(
        "aiofiles.threadpool.binary.AsyncBufferedIOBase",
        ("aiofiles.threadpool.AsyncBufferedIOBase",),
        _AIOFILES_ASYNC_METHODS | {"read1", "readinto"},
        sync_methods=frozenset({"detach", "fileno", "readable"}),
    ),
    LibraryClass(
        "aiofiles.threadpool.binary.AsyncBufferedReader",
        ("aiofiles.threadpool.AsyncBufferedReader",),
        _AIOFILES_ASYNC_METHODS | {"read1", "readinto", "peek"},
        sync_methods=frozenset({"detach", "fileno", "readable"}),
    ),
    LibraryClass(
        "aiofiles.threadpool.binary.AsyncFileIO",
        ("aiofiles.threadpool.AsyncFileIO",),
        _AIOFILES_ASYNC_METHODS | {"readall", "readinto"},
        sync_methods=frozenset({"fileno", "readable"}),
    ),
    # tortoise-orm 0.21 and 1.1: the instance methods of a model that are `async def` (a project
    # model derives from Model; class methods such as `create` or `filter` are reached through
    # the class, which no value holds).
    LibraryClass(
        "tortoise.models.Model",
        ("tortoise.Model",),
        frozenset({"save", "delete", "fetch_related", "refresh_from_db"}),
        sync_methods=frozenset({"clone", "update_from_dict"}),
    ),
    # beanie 1.26 and 2.2: instance methods that are `async def` under async decorators, and
    # set / inc / current_date, plain defs returning `self.update(...)`; find() builds a query.
    LibraryClass(
        "beanie.Document",
        ("beanie.odm.documents.Document",),
        frozenset(
            {
                "create",
                "current_date",
                "delete",
                "fetch_all_links",
                "fetch_link",
                "inc",
                "insert",
                "replace",
                "save",
                "save_changes",
                "set",
                "sync",
                "update",
                "validate_self",
            }
        ),
        sync_methods=frozenset({"find", "find_one", "find_all", "find_many", "aggregate", "rollback", "to_ref"}),
        plain_awaitable_methods=frozenset({"current_date", "inc", "set"}),
    ),
    # aiocache 0.11 and 0.12: every public method `async def` except get_connection; the backends
    # add none (MemcachedCache read in the source: it needs aiomcache). `Cache(...)` is a factory
    # giving a backend instance (FACTORY_RESULTS).
    LibraryClass(
        AIOCACHE_CACHE,
        (
            "aiocache.BaseCache",
            "aiocache.SimpleMemoryCache",
            "aiocache.backends.memory.SimpleMemoryCache",
            "aiocache.RedisCache",
            "aiocache.backends.redis.RedisCache",
            "aiocache.MemcachedCache",
            "aiocache.backends.memcached.MemcachedCache",
        ),
        frozenset(
            {
                "acquire_conn",
                "add",
                "clear",
                "close",
                "delete",
                "exists",
                "expire",
                "get",
                "increment",
                "multi_get",
                "multi_set",
                "raw",
                "release_conn",
                "set",
            }
        ),
        enters_as_self="async",
        sync_methods=frozenset({"get_connection"}),
    ),
    *SDK_CLASSES,
)

APPLICATION_COROUTINE_FUNCTIONS = frozenset(
    {
        # application libraries: `async def` in asyncpg 0.27-0.32 and aiofiles 0.8-25.1 (each
        # name where it exists; aiofiles.os.path is aiofiles.ospath)
        "asyncpg.connect",
        "asyncpg.connection.connect",
        *(
            f"aiofiles.os.{name}"
            for name in (
                "access",
                "getcwd",
                "link",
                "listdir",
                "makedirs",
                "mkdir",
                "readlink",
                "remove",
                "removedirs",
                "rename",
                "renames",
                "replace",
                "rmdir",
                "scandir",
                "sendfile",
                "stat",
                "statvfs",
                "symlink",
                "unlink",
            )
        ),
        *(
            f"aiofiles.{module}.{name}"
            for module in ("ospath", "os.path")
            for name in (
                "abspath",
                "exists",
                "getatime",
                "getctime",
                "getmtime",
                "getsize",
                "isdir",
                "isfile",
                "islink",
                "ismount",
                "samefile",
                "sameopenfile",
            )
        ),
    }
)
"""Module-level functions of these libraries that return a coroutine."""

APPLICATION_FACTORY_RESULTS = {
    "redis.asyncio.from_url": REDIS,
    "redis.asyncio.utils.from_url": REDIS,
    "redis.asyncio.Redis.from_url": REDIS,
    "redis.asyncio.Redis.from_pool": REDIS,
    "redis.asyncio.client.Redis.from_url": REDIS,
    "redis.asyncio.client.Redis.from_pool": REDIS,
    "fakeredis.FakeAsyncRedis.from_url": REDIS,
    "fakeredis.aioredis.FakeRedis.from_url": REDIS,
    "aiosqlite.connect": AIOSQLITE_CONNECTION,
    "aiosqlite.core.connect": AIOSQLITE_CONNECTION,
    "asyncpg.create_pool": ASYNCPG_POOL,
    "asyncpg.pool.create_pool": ASYNCPG_POOL,
    "asyncpg.connect": ASYNCPG_CONNECTION,  # an `async def`: what `await asyncpg.connect()` gives
    "asyncpg.connection.connect": ASYNCPG_CONNECTION,
    "aiofiles.open": AIOFILES_FILE,
    "aiofiles.threadpool.open": AIOFILES_FILE,
    "aiofiles.tempfile.NamedTemporaryFile": AIOFILES_FILE,
    "aiofiles.tempfile.TemporaryFile": AIOFILES_FILE,
    "aiocache.Cache": AIOCACHE_CACHE,
    "aiocache.factory.Cache": AIOCACHE_CACHE,
    "aiocache.Cache.from_url": AIOCACHE_CACHE,
    "aiocache.factory.Cache.from_url": AIOCACHE_CACHE,
}
"""Functions of these libraries and the class of what they return."""
