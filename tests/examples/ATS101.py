import asyncio
import unittest
from unittest.mock import AsyncMock

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine


async def create_user(name):
    return {"name": name}


async def user_stream():
    yield 1


class Repository:
    async def fetch(self, key):
        return key

    @staticmethod
    async def count():
        return 0

    async def load_all(self):
        self.fetch(1)  # error: ATS101:9 basis="a coroutine function" call=self.fetch how="its result is discarded"
        Repository.count()  # error: ATS101:9 basis="a coroutine function" call=Repository.count how="its result is discarded"
        return [await self.fetch(2)]


@pytest.mark.asyncio
async def test_discarded():
    create_user("alice")  # error: ATS101:5 basis="a coroutine function" call=create_user how="its result is discarded"
    asyncio.sleep(0)  # error: ATS101:5 basis="a coroutine function" call=asyncio.sleep how="its result is discarded"


@pytest.mark.asyncio
async def test_asserted_and_compared():
    assert create_user("bob")  # error: ATS101:12 basis="a coroutine function" call=create_user how="an assert on a coroutine object always passes"
    assert create_user("bob") == {"name": "bob"}  # error: ATS101:12 basis="a coroutine function" call=create_user how="the coroutine object is compared, not its result"
    # Under `not` (or `or`) the coroutine object is only tested for truth: `assert not coro`
    # alone always fails, so the message says it is always true, not that the assert passes.
    assert not create_user("bob") or True  # error: ATS101:16 basis="a coroutine function" call=create_user how="a coroutine object is always true"
    if create_user("carol"):  # error: ATS101:8 basis="a coroutine function" call=create_user how="a coroutine object is always true"
        pass
    assert bool(create_user("dave"))  # error: ATS101:17 basis="a coroutine function" call=create_user how="a coroutine object is always true"


@pytest.mark.asyncio
async def test_bound_and_never_awaited():
    user = create_user("erin")  # error: ATS101:12 basis="a coroutine function" call=create_user how="bound to 'user' and never awaited or passed on"
    assert user["name"] == "erin"
    text = create_user("frank")  # error: ATS101:12 basis="a coroutine function" call=create_user how="bound to 'text' and never awaited or passed on"
    print(repr(text))


@pytest.mark.asyncio
async def test_nested_coroutine_function():
    async def helper():
        return 1

    helper()  # error: ATS101:5 basis="a coroutine function" call=helper how="its result is discarded"


@pytest.mark.asyncio
async def test_typed_clients(session: AsyncSession):
    session.commit()  # error: ATS101:5 basis="a coroutine function" call=session.commit how="its result is discarded"
    async with httpx.AsyncClient() as client:
        client.get("https://example.org")  # error: ATS101:9 basis="a coroutine function" call=client.get how="its result is discarded"
    other = httpx.AsyncClient()
    response = other.post("https://example.org")  # error: ATS101:16 basis="a coroutine function" call=other.post how="bound to 'response' and never awaited or passed on"
    assert response.status_code == 200
    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.connect() as connection:
        connection.execute("SELECT 1")  # error: ATS101:9 basis="a coroutine function" call=connection.execute how="its result is discarded"
    factory = async_sessionmaker(engine)
    async with factory() as new_session:
        new_session.flush()  # error: ATS101:9 basis="a coroutine function" call=new_session.flush how="its result is discarded"


@pytest.mark.asyncio
async def test_async_mock_called():
    notify = AsyncMock()
    notify("hello")  # error: ATS101:5 basis="a coroutine function" call=notify how="its result is discarded"


with pytest.raises(ValueError):
    pass


@pytest.mark.asyncio
async def test_inside_pytest_raises():
    with pytest.raises(ValueError):
        create_user("")  # error: ATS101:9 basis="a coroutine function" call=create_user how="its result is discarded"


# -- silent ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_awaited_returned_passed_stored():
    await create_user("a")
    assert await create_user("b") == {"name": "b"}
    await asyncio.gather(create_user("c"), create_user("d"))
    task = asyncio.create_task(create_user("e"))
    await task
    pending = create_user("f")
    await pending
    later = create_user("g")
    await asyncio.wait_for(later, 1)
    stored = [create_user("h")]
    await stored[0]
    holder = unittest.mock.Mock()
    holder.coroutine = create_user("i")
    closed = create_user("j")
    closed.close()
    asyncio.get_running_loop().run_until_complete  # attribute only
    return create_user("k")


@pytest.mark.asyncio
async def test_async_with_and_for():
    engine = create_async_engine("sqlite+aiosqlite://")
    async with engine.connect():
        pass
    async for item in user_stream():
        assert item


@pytest.mark.asyncio
async def test_async_generator_call_is_not_a_coroutine():
    user_stream()


@pytest.mark.asyncio
async def test_unknown_receivers(client, session):
    client.get("/")
    session.commit()


@pytest.mark.asyncio
async def test_shadowed_names(create_user):
    create_user("the fixture, not the module's function")


@pytest.mark.asyncio
async def test_closure_uses_the_name():
    coroutine = create_user("l")

    async def runner():
        return await coroutine

    await runner()


async def yields_the_coroutine():
    yield create_user("m")


def sync_helper_not_a_test():
    create_user("n")


@pytest.mark.asyncio
async def test_lambda_returns_it():
    make = lambda: create_user("o")  # noqa: E731
    await make()


@pytest.mark.asyncio
async def test_local_bindings_shadow_the_module_function(items):
    from json import loads as create_user

    create_user("{}")


@pytest.mark.asyncio
async def test_loop_and_handler_names_shadow(items):
    for create_user in items:
        create_user()
    try:
        pass
    except ValueError as user_stream:
        user_stream()


@pytest.mark.asyncio
async def test_patched_function_is_not_the_coroutine_function():
    with unittest.mock.patch(f"{__name__}.create_user"):
        create_user("the MagicMock, not the coroutine function")
    with unittest.mock.patch("app.services.create_user"):
        create_user("patched by its dotted name")


@pytest.mark.asyncio
async def test_name_rebound_by_a_sync_with(engine, sync_factory):
    # Found on advanced-alchemy's suite: one branch uses an AsyncSession, the other a sync
    # Session under the same name; the sync calls return results, not coroutines.
    if engine.is_async:
        async with AsyncSession(engine) as session:
            await session.execute("SELECT 1")
            session.execute("SELECT 1")  # error: ATS101:13 basis="a coroutine function" call=session.execute how="its result is discarded"
    else:
        with sync_factory() as session:
            session.execute("SELECT 1")
            session.commit()
        for session in sync_factory.all():
            session.commit()
