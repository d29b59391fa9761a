import asyncio
from asyncio import run

import pytest


async def fetch():
    return 1


@pytest.mark.asyncio
async def test_runs_a_loop_inside_a_loop():
    assert asyncio.run(fetch()) == 1  # error: ATS406:12 call=asyncio.run


@pytest.mark.asyncio
async def test_imported_run():
    assert run(fetch()) == 1  # error: ATS406:12 call=run


@pytest.mark.asyncio
async def test_run_until_complete():
    loop = asyncio.get_running_loop()
    assert loop.run_until_complete(fetch()) == 1  # error: ATS406:12 call=loop.run_until_complete


@pytest.mark.asyncio
async def test_get_event_loop_run_until_complete():
    assert asyncio.get_event_loop().run_until_complete(fetch()) == 1  # error: ATS406:12 call=asyncio.get_event_loop().run_until_complete


@pytest.mark.asyncio
async def test_runner():
    with asyncio.Runner() as runner:  # error: ATS406:10 call=asyncio.Runner
        runner.run(fetch())


async def helper_coroutine():
    return asyncio.run(fetch())  # error: ATS406:12 call=asyncio.run


# Near misses: outside any coroutine, or in sync code a coroutine hands to a thread.


def test_sync_runs_its_own_loop():
    assert asyncio.run(fetch()) == 1


def sync_helper():
    return asyncio.run(fetch())


@pytest.mark.asyncio
async def test_sync_code_in_a_thread():
    def blocking():
        return asyncio.run(fetch())

    assert await asyncio.to_thread(blocking) == 1
    assert await asyncio.get_running_loop().run_in_executor(None, lambda: asyncio.run(fetch())) == 1


@pytest.mark.asyncio
async def test_awaits():
    assert await fetch() == 1


def test_new_loop():
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(fetch()) == 1
    finally:
        loop.close()


if __name__ == "__main__":
    asyncio.run(fetch())
