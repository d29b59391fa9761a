import asyncio
from asyncio import get_event_loop

import pytest
import pytest_asyncio

LOOP_AT_IMPORT = asyncio.get_event_loop()  # error: ATS405:18 why="outside a coroutine relies on an implicit loop..."


@pytest.mark.asyncio
async def test_deprecated_spelling():
    loop = asyncio.get_event_loop()  # error: ATS405:12 why="in a coroutine is the deprecated spelling..."
    assert loop.is_running()


def test_sync_relies_on_implicit_loop():
    loop = get_event_loop()  # error: ATS405:12 why="outside a coroutine relies on an implicit loop..."
    assert loop.run_until_complete(asyncio.sleep(0, result=1)) == 1


@pytest.fixture
def loop_time():
    return asyncio.get_event_loop().time()  # error: ATS405:12 why="outside a coroutine relies on an implicit loop..."


@pytest_asyncio.fixture
async def started_at():
    return asyncio.get_event_loop().time()  # error: ATS405:12 why="in a coroutine is the deprecated spelling..."


async def async_helper():
    return asyncio.get_event_loop().time()  # error: ATS405:12 why="in a coroutine is the deprecated spelling..."


def sync_helper():
    return asyncio.get_event_loop()  # error: ATS405:12 why="in a sync helper relies on an implicit loop..."


class Helpers:
    def loop(self):
        return get_event_loop()  # error: ATS405:16 why="in a sync helper relies on an implicit loop..."


# Near misses: the modern spelling, a loop the code makes itself, sync helpers, other objects.


@pytest.mark.asyncio
async def test_running_loop():
    assert asyncio.get_running_loop().is_running()


def test_new_loop():
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(asyncio.sleep(0, result=1)) == 1
    finally:
        loop.close()


class FakePolicy:
    def get_event_loop(self):
        return None


def test_other_get_event_loop():
    assert FakePolicy().get_event_loop() is None
