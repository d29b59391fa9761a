"""The library table against the libraries themselves.

Where a library is installed, a sample of its entries is checked against the real classes: what
the table calls async is `async def` (or a plain def returning an awaitable, seen in its source
or by calling it), what it calls sync is not. Each check skips where its library is missing.
The table's own consistency needs no library.
"""

from __future__ import annotations

import asyncio
import inspect
import warnings

import pytest

from flake8_async_testing import application_libraries as libraries
from flake8_async_testing import sdk_libraries
from flake8_async_testing.libraries import CLASS_BY_NAME, CLASSES, COROUTINE_FUNCTIONS, FACTORY_RESULTS, LibraryClass


def entry(name: str) -> LibraryClass:
    return CLASS_BY_NAME[name]


def returns_coroutine(function) -> bool:
    """`async def`, or plain wrappers (functools.wraps) around one that return its call."""
    return inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(inspect.unwrap(function))


def public_callables(cls) -> dict[str, object]:
    found = {}
    for name in dir(cls):
        if name.startswith("_"):
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, (staticmethod, classmethod)):
            found[name] = raw.__func__
        elif inspect.isfunction(raw):
            found[name] = raw
    return found


def check_against(
    cls, table_name: str, missing_sync: frozenset[str] = frozenset(), plain: frozenset[str] = frozenset()
) -> None:
    """Every async method of the entry is a coroutine function of `cls` (or one of `plain`, plain
    defs returning a coroutine, checked by the caller); every sync method is a callable that is
    not (or one of `missing_sync`, names of other versions or other clients)."""
    table = entry(table_name)
    for name in table.async_methods - plain:
        assert returns_coroutine(getattr(cls, name)), f"{cls.__qualname__}.{name} is not async"
    absent = {name for name in table.sync_methods if not hasattr(cls, name)}
    assert absent <= missing_sync, f"{cls.__qualname__} has no {sorted(absent - missing_sync)}"
    for name in table.sync_methods - absent:
        attribute = getattr(cls, name)
        assert not returns_coroutine(attribute), f"{cls.__qualname__}.{name} is async"


# -- the table by itself -------------------------------------------------------------------------


def test_no_class_is_listed_twice_and_no_spelling_names_two_classes():
    names = [cls.name for cls in CLASSES]
    assert len(names) == len(set(names))
    spellings = [spelling for cls in CLASSES for spelling in cls.spellings]
    assert len(spellings) == len(set(spellings))
    assert not set(spellings) & set(names)


def test_every_result_names_a_class_of_the_table():
    results = set(FACTORY_RESULTS.values())
    for cls in CLASSES:
        results |= {result for _, result in (*cls.method_results, *cls.attribute_types)}
        results |= {result for result in (cls.call_result, cls.other_attributes_type) if result is not None}
    assert results <= set(CLASS_BY_NAME)


def test_no_method_is_both_async_and_sync():
    for cls in CLASSES:
        assert not cls.async_methods & cls.sync_methods, cls.name
        if cls.other_methods_async:
            assert not cls.async_methods, f"{cls.name}: other_methods_async makes the list redundant"


def test_what_the_new_entries_answer():
    redis = entry(libraries.REDIS)
    assert redis.method_is_coroutine("set") and not redis.method_is_coroutine("pipeline")
    assert not redis.method_is_coroutine("_private")
    client = entry(sdk_libraries.OPENAI_CLIENT)
    assert client.attribute_type("chat") == sdk_libraries.OPENAI_RESOURCE
    assert client.attribute_type("api_key") is None
    resource = entry(sdk_libraries.OPENAI_RESOURCE)
    assert resource.attribute_type("completions") == sdk_libraries.OPENAI_RESOURCE
    assert resource.attribute_type("with_streaming_response") == sdk_libraries.OPENAI_STREAMING
    assert not entry(sdk_libraries.OPENAI_STREAMING).method_is_coroutine("create")
    assert entry(libraries.MOTOR_COLLECTION).attribute_type("delegate") is None


# -- httpx2 ----------------------------------------------------------------------------------------


def test_httpx2():
    httpx2 = pytest.importorskip("httpx2")
    check_against(httpx2.AsyncClient, libraries.HTTPX2_ASYNC_CLIENT)
    assert not returns_coroutine(httpx2.AsyncClient.build_request)


# -- redis -----------------------------------------------------------------------------------------

REDIS_SAMPLE = {
    "get": ("key",),
    "set": ("key", "value"),
    "delete": ("key",),
    "exists": ("key",),
    "expire": ("key", 10),
    "ttl": ("key",),
    "incr": ("key",),
    "mget": (["a", "b"],),
    "hget": ("hash", "field"),
    "hset": ("hash", "field", "value"),
    "hgetall": ("hash",),
    "lpush": ("list", 1),
    "rpop": ("list",),
    "lrange": ("list", 0, -1),
    "sadd": ("set", 1),
    "smembers": ("set",),
    "zadd": ("zset", {"a": 1}),
    "zrange": ("zset", 0, -1),
    "publish": ("channel", "message"),
    "ping": (),
    "flushdb": (),
    "keys": ("*",),
}


@pytest.fixture
def redis_client():
    """A client whose commands hand back what execute_command returns, without a server."""
    redis_asyncio = pytest.importorskip("redis.asyncio")
    client = redis_asyncio.Redis()
    sentinel = object()
    client.execute_command = lambda *args, **kwargs: sentinel
    return client, sentinel


def test_redis_commands_return_what_execute_command_returns(redis_client):
    """The commands are plain defs: they are async because execute_command is."""
    client, sentinel = redis_client
    cls = type(client)
    assert inspect.iscoroutinefunction(cls.execute_command)
    table = entry(libraries.REDIS)
    for command, arguments in REDIS_SAMPLE.items():
        assert table.method_is_coroutine(command)
        assert not inspect.iscoroutinefunction(getattr(cls, command)), command
        assert getattr(client, command)(*arguments) is sentinel, command


def test_redis_sync_methods_are_every_method_that_returns_something_else(redis_client):
    """Each public plain def, called with placeholder arguments, returns execute_command's
    result or is a sync method (calls the placeholders make raise are passed by); every async
    generator is a sync method too."""
    client, sentinel = redis_client
    cls = type(client)
    table = entry(libraries.REDIS)
    # graph: redis 4-5 only; vset from 6, digest_local from 7, bless_scan_iter from 8
    check_against(cls, libraries.REDIS, missing_sync=frozenset({"graph", "vset", "digest_local", "bless_scan_iter"}))
    returning_something_else = set()
    for name, function in public_callables(cls).items():
        if inspect.isasyncgenfunction(function):
            assert name in table.sync_methods, name
            continue
        if inspect.iscoroutinefunction(function):
            continue
        parameters = inspect.signature(getattr(client, name)).parameters.values()
        required = [p for p in parameters if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = getattr(client, name)(*["1"] * len(required))
        except Exception:
            continue
        if result is not sentinel:
            returning_something_else.add(name)
    assert returning_something_else <= table.sync_methods
    assert {"pipeline", "pubsub", "lock", "client", "get_encoder"} <= returning_something_else


def test_fakeredis_async_client_is_redis_with_a_sync_from_url():
    fakeredis = pytest.importorskip("fakeredis")
    redis_asyncio = pytest.importorskip("redis.asyncio")
    assert issubclass(fakeredis.FakeAsyncRedis, redis_asyncio.Redis)
    own = {
        name
        for cls in fakeredis.FakeAsyncRedis.__mro__[: fakeredis.FakeAsyncRedis.__mro__.index(redis_asyncio.Redis)]
        for name in vars(cls)
        if not name.startswith("_")
    }
    assert own <= entry(libraries.REDIS).sync_methods


# -- motor -----------------------------------------------------------------------------------------


def test_motor_methods_are_made_async_by_motor():
    """Motor builds its methods from descriptors: an `Async*` one returns a Future."""
    motor_asyncio = pytest.importorskip("motor.motor_asyncio")
    metaprogramming = pytest.importorskip("motor.metaprogramming")
    for cls, table_name in (
        (motor_asyncio.AsyncIOMotorClient, libraries.MOTOR_CLIENT),
        (motor_asyncio.AsyncIOMotorDatabase, libraries.MOTOR_DATABASE),
        (motor_asyncio.AsyncIOMotorCollection, libraries.MOTOR_COLLECTION),
    ):
        for name in entry(table_name).async_methods:  # the generated class's bases: motor.core's
            made_by = next(base.__dict__[name] for base in cls.__mro__[1:] if name in base.__dict__)
            assert isinstance(made_by, metaprogramming.Async) or inspect.iscoroutinefunction(made_by), name


def test_motor_at_run_time_without_a_server():
    motor_asyncio = pytest.importorskip("motor.motor_asyncio")

    async def calls():
        client = motor_asyncio.AsyncIOMotorClient("mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=20")
        collection = client.app.users
        assert type(client.app).__name__ == "AsyncIOMotorDatabase"
        assert type(collection).__name__ == "AsyncIOMotorCollection"
        awaitables = [
            collection.insert_one({}),
            collection.find_one({}),
            collection.update_one({}, {"$set": {"a": 1}}),
            collection.delete_many({}),
            collection.count_documents({}),
            client.app.command("ping"),
            client.list_database_names(),
        ]
        assert all(inspect.isawaitable(awaitable) for awaitable in awaitables)
        for sync in (collection.find({}), collection.aggregate([]), collection.list_indexes(), collection.watch()):
            assert not inspect.isawaitable(sync)
        await asyncio.gather(*awaitables, return_exceptions=True)
        client.close()

    asyncio.run(calls())


# -- aiosqlite, asyncpg, aiofiles ------------------------------------------------------------------


def test_aiosqlite():
    aiosqlite = pytest.importorskip("aiosqlite")
    check_against(aiosqlite.Connection, libraries.AIOSQLITE_CONNECTION)
    check_against(aiosqlite.Cursor, libraries.AIOSQLITE_CURSOR)

    async def connect():
        made = aiosqlite.connect(":memory:")
        assert inspect.isawaitable(made) and hasattr(made, "__aenter__")
        connection = await made
        assert isinstance(connection, aiosqlite.Connection)  # awaits_to_self
        statement = connection.execute("select 1")
        assert inspect.isawaitable(statement) and hasattr(statement, "__aenter__")
        await statement
        await connection.close()

    asyncio.run(connect())
    assert FACTORY_RESULTS["aiosqlite.connect"] == libraries.AIOSQLITE_CONNECTION


def test_asyncpg():
    asyncpg = pytest.importorskip("asyncpg")
    check_against(asyncpg.Pool, libraries.ASYNCPG_POOL)
    check_against(asyncpg.Connection, libraries.ASYNCPG_CONNECTION)
    check_against(asyncpg.transaction.Transaction, libraries.ASYNCPG_TRANSACTION)
    assert inspect.iscoroutinefunction(asyncpg.connect) and "asyncpg.connect" in COROUTINE_FUNCTIONS
    assert not inspect.iscoroutinefunction(asyncpg.create_pool)
    assert hasattr(asyncpg.Pool, "__await__") and hasattr(asyncpg.Pool, "__aenter__")


def test_aiofiles():
    pytest.importorskip("aiofiles")
    from aiofiles import os as aiofiles_os
    from aiofiles import ospath
    from aiofiles.threadpool import binary, text

    handles = {
        text.AsyncTextIOWrapper: "aiofiles.threadpool.text.AsyncTextIOWrapper",
        binary.AsyncBufferedIOBase: "aiofiles.threadpool.binary.AsyncBufferedIOBase",
        binary.AsyncBufferedReader: "aiofiles.threadpool.binary.AsyncBufferedReader",
        binary.AsyncFileIO: "aiofiles.threadpool.binary.AsyncFileIO",
    }
    for cls, table_name in handles.items():
        check_against(cls, table_name)
        assert entry(libraries.AIOFILES_FILE).async_methods <= entry(table_name).async_methods
    assert not returns_coroutine(binary.AsyncBufferedIOBase.readable)  # sync here, async on text handles
    modules = {"aiofiles.os": aiofiles_os, "aiofiles.ospath": ospath, "aiofiles.os.path": aiofiles_os.path}
    checked = 0
    for name in COROUTINE_FUNCTIONS:
        module, _, function = name.rpartition(".")
        found = getattr(modules[module], function, None) if module in modules else None
        if found is not None:  # None: a function of another version or platform
            assert inspect.iscoroutinefunction(found), name
            checked += 1
    assert checked > 20


# -- tortoise, beanie, aiocache ------------------------------------------------------------------


def test_tortoise_model():
    tortoise_models = pytest.importorskip("tortoise.models")
    check_against(tortoise_models.Model, "tortoise.models.Model")


def test_beanie_document():
    beanie = pytest.importorskip("beanie")
    plain = frozenset({"set", "inc", "current_date"})
    check_against(beanie.Document, "beanie.Document", plain=plain)
    for name in plain:  # plain defs returning self.update(...), a coroutine
        assert inspect.iscoroutinefunction(beanie.Document.update)
        assert not inspect.iscoroutinefunction(getattr(beanie.Document, name))
        assert "return self.update(" in inspect.getsource(getattr(beanie.Document, name))


def test_aiocache():
    aiocache = pytest.importorskip("aiocache")
    table = entry(libraries.AIOCACHE_CACHE)
    check_against(aiocache.base.BaseCache, libraries.AIOCACHE_CACHE)
    public = set(public_callables(aiocache.base.BaseCache))
    assert public - {"parse_uri_path"} == table.async_methods | table.sync_methods
    for backend in (aiocache.SimpleMemoryCache, aiocache.RedisCache):
        assert set(public_callables(backend)) - {"parse_uri_path"} == public - {"parse_uri_path"}
    assert isinstance(aiocache.Cache(aiocache.Cache.MEMORY), aiocache.base.BaseCache)


# -- openai and anthropic --------------------------------------------------------------------------


def sdk_tree(client, resource_base):
    """Every resource object below a client (by type), with its raw and streaming wrappers."""
    found, raw, streaming, stack = {}, {}, {}, [client]
    while stack:
        holder = stack.pop()
        for name in dir(holder):
            if name.startswith("_"):
                continue
            value = getattr(holder, name, None)
            if name == "with_raw_response" and holder is not client:
                raw[type(value)] = value
            elif name == "with_streaming_response" and holder is not client:
                streaming[type(value)] = value
            elif isinstance(value, resource_base) and type(value) not in found:
                found[type(value)] = value
                stack.append(value)
    return found, raw, streaming


def methods_of(instance):
    for name in dir(instance):
        value = getattr(instance, name, None)
        if not name.startswith("_") and (inspect.ismethod(value) or inspect.isfunction(value)):
            yield name, value


SDKS = [
    pytest.param(
        "openai",
        "AsyncOpenAI",
        sdk_libraries.OPENAI_CLIENT,
        sdk_libraries.OPENAI_RESOURCE,
        {"api_key": "x"},
        {("AsyncPermissions", "create")},  # fine_tuning.checkpoints.permissions: a paginator
        id="openai",
    ),
    pytest.param(
        "anthropic",
        "AsyncAnthropic",
        sdk_libraries.ANTHROPIC_CLIENT,
        sdk_libraries.ANTHROPIC_RESOURCE,
        {"api_key": "x"},
        set(),
        id="anthropic",
    ),
]


@pytest.mark.parametrize(("module", "client_name", "client_entry", "resource_entry", "arguments", "exceptions"), SDKS)
def test_sdk_client_and_every_resource(module, client_name, client_entry, resource_entry, arguments, exceptions):
    sdk = pytest.importorskip(module)
    resource_base = pytest.importorskip(f"{module}._resource").AsyncAPIResource
    client_class = getattr(sdk, client_name)
    check_against(client_class, client_entry, missing_sync=frozenset({"with_middleware"}))
    client = client_class(**arguments)
    found, raw, streaming = sdk_tree(client, resource_base)
    held = {name for name in dir(client) if isinstance(getattr(client, name, None), resource_base)}
    table_resources = {name for name, result in entry(client_entry).attribute_types if result == resource_entry}
    assert held <= table_resources, "resources of the client the table does not know"
    resource = entry(resource_entry)
    for cls, instance in found.items():
        for name, method in methods_of(instance):
            if resource.method_is_coroutine(name) and (cls.__name__, name) not in exceptions:
                assert returns_coroutine(method), f"{cls.__qualname__}.{name} is sync"
    raw_entry = entry(dict(entry(client_entry).attribute_types)["with_raw_response"])
    assert dict(resource.attribute_types)["with_raw_response"] == raw_entry.name
    for instance in raw.values():  # the raw wrappers: every method async, `list()` too
        for name, method in methods_of(instance):
            assert raw_entry.method_is_coroutine(name) and returns_coroutine(method), type(instance).__qualname__
    for instance in streaming.values():  # the streaming wrappers: context managers, no awaitable
        for name, method in methods_of(instance):
            assert not inspect.iscoroutinefunction(method), f"{type(instance).__qualname__}.{name}"
    assert len(found) > 3


@pytest.mark.parametrize(
    ("module", "client_name", "client_entry"),
    [
        ("openai", "AsyncOpenAI", sdk_libraries.OPENAI_CLIENT),
        ("anthropic", "AsyncAnthropic", sdk_libraries.ANTHROPIC_CLIENT),
    ],
)
def test_sdk_variants_spelled_as_the_client_subclass_it_and_add_no_public_method(module, client_name, client_entry):
    sdk = pytest.importorskip(module)
    client_class = getattr(sdk, client_name)
    base = set(public_callables(client_class))
    for spelling in entry(client_entry).spellings:
        variant = getattr(sdk, spelling.rpartition(".")[2], None)
        if variant is not None and spelling.count(".") == 1:  # `openai.AsyncAzureOpenAI`
            assert issubclass(variant, client_class)
            assert set(public_callables(variant)) == base, spelling


def test_anthropic_cloud_clients_have_the_client_methods():
    anthropic = pytest.importorskip("anthropic")
    for name in (sdk_libraries.ANTHROPIC_BEDROCK_CLIENT, sdk_libraries.ANTHROPIC_VERTEX_CLIENT):
        cls = getattr(anthropic, name.rpartition(".")[2])
        check_against(cls, name, missing_sync=frozenset({"with_middleware"}))


def test_paginators_and_stream_managers_are_not_coroutines():
    openai = pytest.importorskip("openai")
    client = openai.AsyncOpenAI(api_key="x")
    listing = client.models.list()
    assert not inspect.iscoroutine(listing) and hasattr(listing, "__aiter__")
    assert not returns_coroutine(client.chat.completions.stream)
    assert returns_coroutine(client.chat.completions.create)
    assert not returns_coroutine(client.with_options)


@pytest.mark.parametrize(
    ("module", "class_name", "entry_name"),
    [
        ("motor.motor_asyncio", "AsyncIOMotorClient", "motor.motor_asyncio.AsyncIOMotorClient"),
        ("motor.motor_asyncio", "AsyncIOMotorDatabase", "motor.motor_asyncio.AsyncIOMotorDatabase"),
        ("motor.motor_asyncio", "AsyncIOMotorCollection", "motor.motor_asyncio.AsyncIOMotorCollection"),
        ("aiosqlite", "Connection", "aiosqlite.Connection"),
        ("aiosqlite", "Cursor", "aiosqlite.Cursor"),
        ("asyncpg", "Pool", "asyncpg.Pool"),
        ("asyncpg", "Connection", "asyncpg.Connection"),
        ("asyncpg.transaction", "Transaction", "asyncpg.transaction.Transaction"),
        ("beanie", "Document", "beanie.Document"),
        ("aiocache.base", "BaseCache", "aiocache.base.BaseCache"),
        ("tortoise.models", "Model", "tortoise.models.Model"),
        ("redis.asyncio", "Redis", "redis.asyncio.Redis"),
    ],
)
def test_which_awaitable_methods_are_async_defs(module, class_name, entry_name):
    """`patch()` makes an AsyncMock only of an `async def` (unittest.mock's
    `iscoroutinefunction`): the table says which awaitable methods are plain defs."""
    real = getattr(pytest.importorskip(module), class_name)
    cls = entry(entry_name)
    for method in cls.async_methods:
        assert inspect.iscoroutinefunction(getattr(real, method)) is cls.method_is_async_def(method), method
    for method in ("get", "set", "delete", "exists", "hset"):
        if cls.other_methods_async:
            assert not inspect.iscoroutinefunction(getattr(real, method)) and not cls.method_is_async_def(method)
