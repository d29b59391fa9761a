"""Await habits: where no type says what a fixture hands over, the suite's own awaits do.

`cache` comes from a library the plugin has no table for. Each call this module awaits on it
in two places or more, and never uses un-awaited elsewhere, is a coroutine call in every test
that requests the fixture. One module per call path below: a second un-awaited use of the same
call would show the suite uses it as a plain value (see the near misses).
"""
# modes: auto

import asyncio
from unittest.mock import AsyncMock

import pytest
from somecache import make_cache


@pytest.fixture
async def cache():
    client = make_cache()
    yield client
    await client.close()


@pytest.fixture
def recorder():
    return AsyncMock()


@pytest.fixture(params=["memory", "redis"])
def backend(request):
    return make_cache(request.param)


@pytest.mark.asyncio
async def test_the_suite_awaits(cache, backend):
    await cache.set("k", 1)
    await cache.get("k")
    await cache.delete("k")
    assert await cache.exists("k")
    await cache.incr("n")
    await cache.client.ping()
    results = await asyncio.gather(cache.expire("k", 1), cache.ttl("k"))
    await cache.rename("a", "b")
    await cache.flush()
    await cache.lock("l")
    await backend.ping()
    return results


@pytest.mark.asyncio
async def test_the_suite_awaits_again(cache, backend):
    await cache.set("k", 2)
    value = await cache.get("k")
    await cache.delete("k")
    if await cache.exists("k"):
        await cache.incr("n")
    await cache.client.ping()
    await asyncio.wait_for(cache.expire("k", 2), 1)
    await asyncio.create_task(cache.ttl("k"))
    await cache.flush()
    await cache.lock("l")
    await backend.ping()
    return value


@pytest.mark.asyncio
async def test_missing_awaits(cache):
    cache.set("k", 3)  # error: ATS101:5 call=cache.set basis="awaited in 2 other places of the suite, e.g. ATS101_habits.py:36" how="its result is discarded"
    assert cache.exists("k")  # error: ATS101:12 call=cache.exists basis="awaited in 2 other places of the suite, e.g. ATS101_habits.py:39" how="an assert on a coroutine object always passes"
    assert cache.get("k") == 3  # error: ATS101:12 call=cache.get basis="awaited in 2 other places of the suite, e.g. ATS101_habits.py:37" how="the coroutine object is compared, not its result"
    count = cache.incr("n")  # error: ATS101:13 call=cache.incr basis="awaited in 2 other places of the suite, e.g. ATS101_habits.py:40" how="bound to 'count' and never awaited or passed on"
    cache.client.ping()  # error: ATS101:5 call=cache.client.ping basis="awaited in 2 other places of the suite, e.g. ATS101_habits.py:41" how="its result is discarded"
    ttl = cache.ttl("k").seconds  # error: ATS101:11 call=cache.ttl basis="awaited in 2 other places of the suite, e.g. ATS101_habits.py:42" how="'.seconds' is read off the coroutine object, not its result"
    return ttl


def test_sync_test_calls_a_habit(cache):
    cache.delete("k")  # error: ATS102:5 role=test function=test_sync_test_calls_a_habit call=cache.delete basis="awaited in 2 other places of the suite, e.g. ATS101_habits.py:38" how="discards the coroutine"


@pytest.mark.asyncio
async def test_expire_is_handed_to_gather_and_wait_for(cache):
    cache.expire("k", 3)  # error: ATS101:5 call=cache.expire basis="awaited in 2 other places of the suite, e.g. ATS101_habits.py:42" how="its result is discarded"


# -- near misses --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_call_the_suite_never_awaits(cache):
    cache.pipeline()
    assert cache.keys_cached()


@pytest.mark.asyncio
async def test_awaited_once_is_no_habit(cache):
    cache.rename("b", "c")


@pytest.mark.asyncio
async def test_used_unawaited_twice_is_no_habit(cache):
    cache.flush()


@pytest.mark.asyncio
async def test_the_other_unawaited_use(cache):
    cache.flush()


@pytest.mark.asyncio
async def test_used_with_async_with(cache):
    async with cache.lock("l"):
        pass
    cache.lock("m")


@pytest.mark.asyncio
async def test_names_bound_from_the_fixture_are_not_followed(cache):
    other = cache
    other.set("k", 4)


@pytest.mark.asyncio
async def test_a_local_name_is_not_the_fixture():
    cache = make_cache()
    cache.set("k", 5)


@pytest.mark.asyncio
async def test_a_parametrised_fixture_has_no_habit(backend):
    backend.ping()


@pytest.mark.asyncio
async def test_a_mock_is_left_to_the_mock_rules(recorder):
    await recorder.send()
    await recorder.send()
    recorder.send()


@pytest.mark.asyncio
async def test_returned_and_passed_on_say_nothing(cache):
    keep(cache.get("k"))
    return cache.set("k", 6)


def keep(value):
    return value


async def helper(cache):
    cache.set("k", 7)  # a helper's parameter is no fixture request
