import asyncio

import pytest
import pytest_asyncio


@pytest.mark.asyncio
async def test_closes_running_loop():
    asyncio.get_running_loop().close()  # error: ATS409:5 call=asyncio.get_running_loop().close which=running why="inside a coroutine this raises 'Cannot close a running event loop'"


@pytest.mark.asyncio
async def test_closes_through_a_name():
    loop = asyncio.get_running_loop()
    loop.close()  # error: ATS409:5 call=loop.close which=running why="inside a coroutine this raises 'Cannot close a running event loop'"


@pytest.fixture
def default_loop():
    loop = asyncio.get_event_loop()  # error: ATS405:12 why="outside a coroutine relies on an implicit loop..."
    yield loop
    loop.close()  # error: ATS409:5 call=loop.close which=default why="the tests after it get 'Event loop is closed'"


@pytest_asyncio.fixture
async def server():
    yield object()
    asyncio.get_event_loop().close()  # error: ATS409:5 call=asyncio.get_event_loop().close which=running why="inside a coroutine this raises 'Cannot close a running event loop'"


def test_sync_closes_default_loop():
    asyncio.get_event_loop().close()  # error: ATS409:5 call=asyncio.get_event_loop().close which=default why="the tests after it get 'Event loop is closed'"


# Near misses: loops the code made itself, rebound names, helpers, other objects.


@pytest.fixture
def own_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_rebound_name():
    loop = asyncio.get_event_loop_policy  # not a loop
    loop = asyncio.new_event_loop()
    loop.close()


@pytest.mark.asyncio
async def test_closes_a_connection():
    writer = asyncio.get_running_loop()
    writer = object()
    assert writer
    connection = Connection()
    connection.close()


class Connection:
    def close(self):
        pass


def close_default_loop():
    asyncio.get_event_loop().close()  # error: ATS405:5 why="in a sync helper relies on an implicit loop..."
