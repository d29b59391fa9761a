import asyncio
from asyncio import gather

import pytest
import pytest_asyncio


async def job(n):
    if n:
        raise ValueError(n)
    return n


@pytest.mark.asyncio
async def test_results_discarded():
    await asyncio.gather(job(0), job(1), return_exceptions=True)  # error: ATS105:11 what="the results" call=asyncio.gather fate="are discarded" consequence="every exception comes back as a value and is dropped, so the test passes although the awaitables failed" fix="check the results (raise what is an exception), or leave out return_exceptions=True"


@pytest.mark.asyncio
async def test_results_bound_and_never_read():
    results = await gather(*[job(n) for n in range(3)], return_exceptions=True)  # error: ATS105:21 what="the results" call=gather fate="are bound to 'results' and never read" consequence="every exception comes back as a value and is dropped, so the test passes although the awaitables failed" fix="check the results (raise what is an exception), or leave out return_exceptions=True"


@pytest.mark.asyncio
async def test_done_set_never_read():
    tasks = {asyncio.create_task(job(1))}
    await asyncio.wait(tasks)  # error: ATS105:11 what="the done set" call=asyncio.wait fate="is discarded" consequence="the tasks' exceptions are never retrieved ('Task exception was never retrieved'), so the test passes although they failed" fix="call result() on each done task, or await asyncio.gather(...)"


@pytest_asyncio.fixture
async def workers():
    done, pending = await asyncio.wait([asyncio.create_task(job(1))], timeout=1)  # error: ATS105:27 what="the done set" call=asyncio.wait fate="is bound to 'done' and never read" consequence="the tasks' exceptions are never retrieved ('Task exception was never retrieved'), so the test passes although they failed" fix="call result() on each done task, or await asyncio.gather(...)"
    yield pending


# -- the outcome is looked at: silent ---------------------------------------------------------


@pytest.mark.asyncio
async def test_results_read():
    results = await asyncio.gather(job(0), job(1), return_exceptions=True)
    assert not any(isinstance(result, Exception) for result in results)
    await asyncio.gather(job(0), job(0))  # no return_exceptions: the first exception is raised
    await asyncio.gather(job(0), return_exceptions=False)
    return_exceptions = True
    await asyncio.gather(job(0), return_exceptions=return_exceptions)  # not a literal: not sure


@pytest.mark.asyncio
async def test_done_tasks_read():
    done, _ = await asyncio.wait([asyncio.create_task(job(0))])
    for task in done:
        task.result()


@pytest.mark.asyncio
async def test_waited_tasks_read_another_way():
    tasks = [asyncio.create_task(job(0))]
    await asyncio.wait(tasks)
    assert [task.result() for task in tasks] == [0]


@pytest.mark.asyncio
async def test_waited_tasks_gathered_later():
    tasks = [asyncio.create_task(job(0))]
    await asyncio.wait(tasks, timeout=1)
    await asyncio.gather(*tasks)


async def helper_not_a_test():
    await asyncio.gather(job(0), return_exceptions=True)


@pytest.mark.asyncio
async def test_other_gathers():
    class Group:
        async def gather(self, *args, return_exceptions=False):
            return args

    group = Group()
    await group.gather(job(0), return_exceptions=True)


# -- waiting for tasks of its own to settle (found in openai's and aiohttp's suites): silent -----


@pytest.mark.asyncio
async def test_a_cancelled_task_waited_for():
    waiter = asyncio.create_task(job(0))
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    assert waiter.cancelled()


class Writer:
    background_tasks: set = set()


@pytest.mark.asyncio
async def test_background_tasks_drained():
    writer = Writer()
    await asyncio.gather(*writer.background_tasks, return_exceptions=True)


PENDING = []


@pytest_asyncio.fixture
async def close_pending_futures():
    yield
    loop = asyncio.get_running_loop()
    loop_futures = [future for future in PENDING if future.get_loop() is loop]
    await asyncio.gather(*loop_futures, return_exceptions=True)


@pytest.mark.asyncio
async def test_jobs_started_here_and_named():
    jobs = [job(n) for n in range(3)]
    await asyncio.gather(*jobs, return_exceptions=True)  # error: ATS105:11 what="the results" call=asyncio.gather fate="are discarded" consequence="every exception comes back as a value and is dropped, so the test passes although the awaitables failed" fix="check the results (raise what is an exception), or leave out return_exceptions=True"
