import asyncio

import pytest
import pytest_asyncio


@pytest.mark.asyncio
async def test_schedules_on_the_loop(event_loop):  # error: ATS402:38 name=test_schedules_on_the_loop why="which pytest-asyncio removed in 1.0 ('fixture 'event_loop' not found')"
    assert event_loop.is_running()


def test_sync_runs_the_loop(event_loop):  # error: ATS402:29 name=test_sync_runs_the_loop why="which pytest-asyncio removed in 1.0 ('fixture 'event_loop' not found')"
    assert event_loop.run_until_complete(asyncio.sleep(0, result=1)) == 1


@pytest_asyncio.fixture
async def timer(event_loop):  # error: ATS402:17 name=timer why="which pytest-asyncio removed in 1.0 ('fixture 'event_loop' not found')"
    return event_loop.time()


@pytest.fixture
def loop_time(
    event_loop,  # error: ATS402:5 name=loop_time why="which pytest-asyncio removed in 1.0 ('fixture 'event_loop' not found')"
):
    return event_loop.time()


class TestInClass:
    @pytest.mark.asyncio
    async def test_method(self, event_loop):  # error: ATS402:33 name=test_method why="which pytest-asyncio removed in 1.0 ('fixture 'event_loop' not found')"
        assert event_loop is asyncio.get_running_loop()


# Near misses: the name outside tests and fixtures, the modern spelling, defaults.


def helper(event_loop):
    return event_loop.time()


async def async_helper(event_loop):
    return event_loop.time()


@pytest.mark.asyncio
async def test_running_loop():
    loop = asyncio.get_running_loop()
    assert loop.is_running()


def test_with_default(event_loop=None):
    assert event_loop is None


@pytest.fixture
def loop_factory():
    return asyncio.new_event_loop


def test_loop_factory(loop_factory):
    loop = loop_factory()
    loop.close()


@pytest.mark.usefixtures("event_loop")  # error: ATS402:26 name=test_through_usefixtures why="which pytest-asyncio removed in 1.0 ('fixture 'event_loop' not found')"
def test_through_usefixtures():
    pass
