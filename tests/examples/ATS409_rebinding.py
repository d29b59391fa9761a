"""ATS409 follows a name bound to the running or default loop until it is rebound."""

import asyncio
import contextlib

import pytest


@pytest.mark.asyncio
async def test_closes_the_running_loop_by_name():
    loop = asyncio.get_running_loop()
    loop.close()  # error: ATS409:5 call=loop.close which=running why="inside a coroutine this raises 'Cannot close a running event loop'"


@pytest.mark.asyncio
async def test_annotated_binding():
    loop: asyncio.AbstractEventLoop = asyncio.get_running_loop()
    loop.close()  # error: ATS409:5 call=loop.close which=running why="inside a coroutine this raises 'Cannot close a running event loop'"


def test_closes_the_default_loop_in_a_nested_helper():
    loop = asyncio.get_event_loop()  # error: ATS405:12 why="outside a coroutine relies on an implicit loop..."

    def finish():
        loop.close()  # error: ATS409:9 call=loop.close which=default why="the tests after it get 'Event loop is closed'"

    finish()


# -- silent: the name holds a loop of its own, or something else ----------------------------


@pytest.mark.asyncio
async def test_rebound_to_a_new_loop():
    loop = asyncio.get_running_loop()
    loop = asyncio.new_event_loop()
    loop.close()


@pytest.mark.asyncio
async def test_rebound_by_for(loops):
    loop = asyncio.get_running_loop()
    for loop in loops:
        loop.close()


@pytest.mark.asyncio
async def test_rebound_by_with(factory):
    loop = asyncio.get_running_loop()
    with contextlib.closing(factory()) as loop:
        loop.close()


@pytest.mark.asyncio
async def test_rebound_by_walrus():
    loop = asyncio.get_running_loop()
    if (loop := asyncio.new_event_loop()) is not None:
        loop.close()


@pytest.mark.asyncio
async def test_rebound_by_unpacking(pair):
    loop = asyncio.get_running_loop()
    loop, other = pair
    loop.close()


@pytest.mark.asyncio
async def test_comprehension_variable(loops):
    loop = asyncio.new_event_loop()
    [loop.close() for loop in loops]
    loop.close()
