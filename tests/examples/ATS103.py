import asyncio

import pytest
import pytest_asyncio


async def work():
    return 1


@pytest.mark.asyncio
async def test_task_dropped():
    asyncio.create_task(work())  # error: ATS103:5 call=asyncio.create_task how="is dropped, and it may be garbage-collected mid-run"
    asyncio.ensure_future(work())  # error: ATS103:5 call=asyncio.ensure_future how="is dropped, and it may be garbage-collected mid-run"
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_loop_task_dropped():
    loop = asyncio.get_running_loop()
    loop.create_task(work())  # error: ATS103:5 call=loop.create_task how="is dropped, and it may be garbage-collected mid-run"
    asyncio.get_running_loop().create_task(work())  # error: ATS103:5 call=asyncio.get_running_loop().create_task how="is dropped, and it may be garbage-collected mid-run"


@pytest_asyncio.fixture
async def background():
    asyncio.create_task(work())  # error: ATS103:5 call=asyncio.create_task how="is dropped, and it may be garbage-collected mid-run"
    yield


# -- silent ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_task_kept():
    task = asyncio.create_task(work())
    assert await task == 1
    tasks = [asyncio.create_task(work()) for _ in range(2)]
    await asyncio.gather(*tasks)


@pytest.mark.asyncio
async def test_task_group():
    async with asyncio.TaskGroup() as group:
        group.create_task(work())


async def helper_not_a_test():
    asyncio.create_task(work())


# -- a task kept in a name, and never awaited, cancelled or handed on ---------------------------


async def fail():
    raise ValueError("lost")


@pytest.mark.asyncio
async def test_task_kept_and_only_polled():
    task = asyncio.create_task(fail())  # error: ATS103:12 call=asyncio.create_task how="is kept in 'task' but never awaited, cancelled or handed on, and the loop cancels it when it closes"
    await asyncio.sleep(0)
    assert task.done()
    assert not task.cancelled()


@pytest.mark.asyncio
async def test_task_kept_and_never_used():
    loop = asyncio.get_running_loop()
    ticker = loop.create_task(work())  # error: ATS103:14 call=loop.create_task how="is kept in 'ticker' but never awaited, cancelled or handed on, and the loop cancels it when it closes"
    await asyncio.sleep(0)


@pytest_asyncio.fixture
async def server():
    serving = asyncio.ensure_future(work())  # error: ATS103:15 call=asyncio.ensure_future how="is kept in 'serving' but never awaited, cancelled or handed on, and the loop cancels it when it closes"
    yield
    assert serving is not None


# -- kept and looked at: silent ---------------------------------------------------------------


@pytest.mark.asyncio
async def test_kept_tasks_whose_outcome_is_read():
    awaited = asyncio.create_task(work())
    await awaited
    cancelled = asyncio.create_task(work())
    cancelled.cancel()
    gathered = asyncio.create_task(work())
    await asyncio.gather(gathered)
    result_read = asyncio.create_task(work())
    await asyncio.sleep(0)
    assert result_read.result() == 1
    stored = asyncio.create_task(work())
    pending = [stored]
    await asyncio.wait(pending)
    called_back = asyncio.create_task(work())
    called_back.add_done_callback(lambda done: done.result())
    in_a_closure = asyncio.create_task(work())

    async def finish():
        await in_a_closure

    await finish()


@pytest_asyncio.fixture
async def kept_until_teardown():
    task = asyncio.create_task(work())
    yield task


@pytest_asyncio.fixture
async def cancelled_at_teardown():
    task = asyncio.create_task(work())
    yield
    task.cancel()


class Service:
    def start(self):
        self.task = asyncio.create_task(work())


async def helper_keeps_a_task():
    task = asyncio.create_task(work())
    return None


@pytest.mark.asyncio
async def test_a_task_group_task_kept():
    async with asyncio.TaskGroup() as group:
        task = group.create_task(work())
    assert task.done()
