"""A module that defines its own `event_loop` fixture (ATS401): sync code that runs the loop
it made gets what it asked for; async code gets a loop other than the one it runs in."""

import asyncio

import pytest


@pytest.fixture
def event_loop():  # error: ATS401:1
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_sync_uses_its_loop(event_loop):
    assert event_loop.run_until_complete(asyncio.sleep(0, result=1)) == 1


@pytest.mark.asyncio
async def test_async_gets_another_loop(event_loop):  # error: ATS402:40 name=test_async_gets_another_loop why="which ATS402_own_fixture.py defines: it gets that loop, not the one pytest-asyncio (>= 1.0) runs it in"
    assert event_loop is not asyncio.get_running_loop()


async def test_unmarked_async_is_ATS201_only(event_loop):  # error: ATS201:1 name=test_unmarked_async_is_ATS201_only
    pass
