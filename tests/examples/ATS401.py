import asyncio

import pytest
import pytest_asyncio


@pytest.fixture(scope="session")
def event_loop():  # error: ATS401:1
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


class TestLegacyLoop:
    @pytest.fixture
    def event_loop(self):  # error: ATS401:5
        return asyncio.new_event_loop()


@pytest_asyncio.fixture(name="event_loop")
async def loop_by_another_name():  # error: ATS401:1
    return asyncio.get_running_loop()


# Near misses: not fixtures, or fixtures of another name.


def event_loop_helper():
    return asyncio.new_event_loop()


def make_loop(event_loop=None):
    return event_loop or asyncio.new_event_loop()


@pytest.fixture
def fresh_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(name="loop")
def event_loop_under_another_name():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
