"""Application libraries from the library table: a missing await on a method that returns an
awaitable, and the sync methods beside it (cursors, pipelines, paginators, new clients) that
stay silent. Objects are typed by annotations on test parameters or made in the test."""
# modes: auto

import aiocache
import aiofiles
import aiofiles.os
import aiosqlite
import asyncpg
import httpx2
import redis.asyncio
from anthropic import AsyncAnthropic, AsyncAnthropicBedrock
from beanie import Document
from fakeredis import FakeAsyncRedis
from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorCollection, AsyncIOMotorDatabase
from openai import AsyncAzureOpenAI, AsyncOpenAI
from redis.asyncio import Redis
from tortoise import fields
from tortoise.models import Model


class User(Model):
    name = fields.CharField(max_length=50)


class Product(Document):
    name: str


# -- httpx2 -----------------------------------------------------------------------------------


async def test_httpx2():
    async with httpx2.AsyncClient(base_url="http://test") as client:
        client.query("/search")  # error: ATS101:9 basis="a coroutine function" call=client.query how="its result is discarded"
        client.build_request("GET", "/")
        async with client.stream("GET", "/") as response:
            await response.aread()


# -- redis ------------------------------------------------------------------------------------


async def test_redis_commands(cache: Redis):
    cache.set("key", "value")  # error: ATS101:5 basis="a coroutine function" call=cache.set how="its result is discarded"
    assert cache.exists("key")  # error: ATS101:12 basis="a coroutine function" call=cache.exists how="an assert on a coroutine object always passes"
    if cache.get("key") == b"value":  # error: ATS101:8 basis="a coroutine function" call=cache.get how="the coroutine object is compared, not its result"
        pass
    count = cache.incr("hits")  # error: ATS101:13 basis="a coroutine function" call=cache.incr how="bound to 'count' and never awaited or passed on"
    await cache.hset("user:1", mapping={"name": "ada"})
    assert await cache.hget("user:1", "name") == b"ada"


async def test_redis_sync_methods(cache: Redis):
    pipe = cache.pipeline()
    pipe.set("a", 1)
    await pipe.execute()
    pubsub = cache.pubsub()
    await pubsub.subscribe("news")
    lock = cache.lock("name", timeout=5)
    async with lock:
        pass
    script = cache.register_script("return 1")
    await script()
    async for key in cache.scan_iter("user:*"):
        print(key)
    cache.get_encoder()
    cache.json()


async def test_redis_made_in_the_test():
    client = redis.asyncio.from_url("redis://localhost")
    client.delete("key")  # error: ATS101:5 basis="a coroutine function" call=client.delete how="its result is discarded"
    other = Redis.from_url("redis://localhost")
    other.expire("key", 10)  # error: ATS101:5 basis="a coroutine function" call=other.expire how="its result is discarded"
    fake = FakeAsyncRedis()
    fake.lpush("queue", 1)  # error: ATS101:5 basis="a coroutine function" call=fake.lpush how="its result is discarded"
    await fake.aclose()
    async with Redis() as entered:
        entered.publish("news", "hi")  # error: ATS101:9 basis="a coroutine function" call=entered.publish how="its result is discarded"


# -- motor ------------------------------------------------------------------------------------


async def test_motor_collection(users: AsyncIOMotorCollection):
    users.insert_one({"name": "ada"})  # error: ATS101:5 basis="a coroutine function" call=users.insert_one how="its result is discarded"
    assert users.find_one({"name": "ada"})  # error: ATS101:12 basis="a coroutine function" call=users.find_one how="an assert on a coroutine object always passes"
    cursor = users.find({"name": "ada"})
    assert await cursor.to_list(length=10)
    async for document in users.aggregate([]):
        print(document)
    users.list_indexes()
    users.watch()
    users.with_options()
    await users.delete_many({})


async def test_motor_attributes(db: AsyncIOMotorDatabase):
    db.orders.update_one({}, {"$set": {"paid": True}})  # error: ATS101:5 basis="a coroutine function" call=db.orders.update_one how="its result is discarded"
    name = "orders"
    db.get_collection(name).count_documents({})  # error: ATS101:5 basis="a coroutine function" call=db.get_collection(name).count_documents how="its result is discarded"
    db.command("ping")  # error: ATS101:5 basis="a coroutine function" call=db.command how="its result is discarded"
    db.orders.find()
    db.orders.delegate.insert_one({})  # the PyMongo collection behind: sync


async def test_motor_client():
    client = AsyncIOMotorClient("mongodb://localhost")
    client.app.users.delete_one({})  # error: ATS101:5 basis="a coroutine function" call=client.app.users.delete_one how="its result is discarded"
    client.list_database_names()  # error: ATS101:5 basis="a coroutine function" call=client.list_database_names how="its result is discarded"
    client.get_database("app").users.find({})
    client.close()


# -- aiosqlite --------------------------------------------------------------------------------


async def test_aiosqlite():
    db = await aiosqlite.connect(":memory:")
    db.execute("create table t (x)")  # error: ATS101:5 basis="a coroutine function" call=db.execute how="its result is discarded"
    async with db.execute("select x from t") as cursor:
        await cursor.fetchall()
    await db.execute("insert into t values (1)")
    db.commit()  # error: ATS101:5 basis="a coroutine function" call=db.commit how="its result is discarded"
    await db.close()


async def test_aiosqlite_entered():
    async with aiosqlite.connect(":memory:") as db:
        db.executescript("create table t (x);")  # error: ATS101:9 basis="a coroutine function" call=db.executescript how="its result is discarded"
        async with db.cursor() as cursor:
            await cursor.execute("select 1")


# -- asyncpg ----------------------------------------------------------------------------------


async def test_asyncpg_pool():
    pool = await asyncpg.create_pool("postgresql://localhost/test")
    pool.execute("truncate users")  # error: ATS101:5 basis="a coroutine function" call=pool.execute how="its result is discarded"
    async with pool.acquire() as connection:
        connection.fetch("select 1")  # error: ATS101:9 basis="a coroutine function" call=connection.fetch how="its result is discarded"
        async with connection.transaction():
            await connection.execute("select 1")
    acquired = await pool.acquire()
    acquired.fetchval("select 1")  # error: ATS101:5 basis="a coroutine function" call=acquired.fetchval how="its result is discarded"
    await pool.release(acquired)
    pool.terminate()


async def test_asyncpg_connect():
    asyncpg.connect("postgresql://localhost/test")  # error: ATS101:5 basis="a coroutine function" call=asyncpg.connect how="its result is discarded"
    connection = await asyncpg.connect("postgresql://localhost/test")
    await connection.close()


async def test_asyncpg_annotated(connection: asyncpg.Connection):
    transaction = connection.transaction()
    transaction.start()  # error: ATS101:5 basis="a coroutine function" call=transaction.start how="its result is discarded"
    connection.cursor("select 1")
    connection.is_closed()


# -- aiofiles ---------------------------------------------------------------------------------


async def test_aiofiles(tmp_path):
    async with aiofiles.open(tmp_path / "a.txt", "w") as handle:
        handle.write("text")  # error: ATS101:9 basis="a coroutine function" call=handle.write how="its result is discarded"
        handle.fileno()
    opened = await aiofiles.open(tmp_path / "a.txt")
    assert opened.read() == "text"  # error: ATS101:12 basis="a coroutine function" call=opened.read how="the coroutine object is compared, not its result"
    await opened.close()
    aiofiles.os.remove(tmp_path / "a.txt")  # error: ATS101:5 basis="a coroutine function" call=aiofiles.os.remove how="its result is discarded"
    assert aiofiles.os.path.exists(tmp_path)  # error: ATS101:12 basis="a coroutine function" call=aiofiles.os.path.exists how="an assert on a coroutine object always passes"


# -- tortoise and beanie ----------------------------------------------------------------------


async def test_tortoise_model():
    user = User(name="ada")
    user.save()  # error: ATS101:5 basis="a coroutine function" call=user.save how="its result is discarded"
    await user.fetch_related("groups")
    user.update_from_dict({"name": "grace"})
    user.clone()


async def test_beanie_document(product: Product):
    product.insert()  # error: ATS101:5 basis="a coroutine function" call=product.insert how="its result is discarded"
    product.set({Product.name: "pen"})  # error: ATS101:5 basis="a coroutine function" call=product.set how="its result is discarded"
    await product.delete()
    product.to_ref()


# -- aiocache ---------------------------------------------------------------------------------


async def test_aiocache():
    cache = aiocache.Cache(aiocache.Cache.MEMORY)
    cache.set("key", "value")  # error: ATS101:5 basis="a coroutine function" call=cache.set how="its result is discarded"
    assert await cache.get("key") == "value"
    memory = aiocache.SimpleMemoryCache()
    memory.clear()  # error: ATS101:5 basis="a coroutine function" call=memory.clear how="its result is discarded"
    memory.get_connection()


# -- openai and anthropic ---------------------------------------------------------------------


async def test_openai(client: AsyncOpenAI):
    client.chat.completions.create(model="gpt", messages=[])  # error: ATS101:5 basis="a coroutine function" call=client.chat.completions.create how="its result is discarded"
    run = client.beta.threads.runs.create("thread", assistant_id="a")  # error: ATS101:11 basis="a coroutine function" call=client.beta.threads.runs.create how="bound to 'run' and never awaited or passed on"
    client.with_options(timeout=5).embeddings.create(model="e", input="x")  # error: ATS101:5 basis="a coroutine function" call="client.with_options(timeout=5).embeddings.create" how="its result is discarded"
    client.chat.completions.with_raw_response.create(model="gpt", messages=[])  # error: ATS101:5 basis="a coroutine function" call=client.chat.completions.with_raw_response.create how="its result is discarded"
    client.models.with_raw_response.list()  # error: ATS101:5 basis="a coroutine function" call=client.models.with_raw_response.list how="its result is discarded"
    client.post("/custom", cast_to=dict)  # error: ATS101:5 basis="a coroutine function" call=client.post how="its result is discarded"
    async with client.chat.completions.with_streaming_response.create(model="gpt", messages=[]) as response:
        await response.parse()
    async with client.chat.completions.stream(model="gpt", messages=[]) as stream:
        await stream.get_final_completion()
    async for model in client.models.list():
        print(model)
    page = client.files.list()
    async for file in page:
        print(file)
    manager = client.files.with_streaming_response.retrieve_content("file-1")
    async with manager as response:
        await response.read()
    client.chat.completions.create(model="gpt", messages=[]).choices  # error: ATS101:5 basis="a coroutine function" call=client.chat.completions.create how="'.choices' is read off the coroutine object, not its result"
    client.with_options(max_retries=0)
    client.copy()
    client.webhooks.verify_signature("payload", {})


async def test_openai_azure():
    client = AsyncAzureOpenAI(api_version="2024-06-01", azure_endpoint="https://x")
    client.files.delete("file-1")  # error: ATS101:5 basis="a coroutine function" call=client.files.delete how="its result is discarded"
    client.files.list()


async def test_anthropic():
    async with AsyncAnthropic() as client:
        client.messages.create(model="claude", max_tokens=10, messages=[])  # error: ATS101:9 basis="a coroutine function" call=client.messages.create how="its result is discarded"
        client.messages.count_tokens(model="claude", messages=[])  # error: ATS101:9 basis="a coroutine function" call=client.messages.count_tokens how="its result is discarded"
        async with client.messages.stream(model="claude", max_tokens=10, messages=[]) as stream:
            await stream.get_final_message()
        client.beta.messages.batches.list()
        client.with_options(timeout=5)


async def test_anthropic_bedrock(client: AsyncAnthropicBedrock):
    client.messages.create(model="claude", max_tokens=10, messages=[])  # error: ATS101:5 basis="a coroutine function" call=client.messages.create how="its result is discarded"
    client.aws_region.upper()
