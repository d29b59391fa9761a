import asyncio

import pytest
import pytest_asyncio


async def work():
    return 1


@pytest.mark.asyncio
async def test_task_dropped():
    asyncio.create_task(work())  # error: ATS103:5 call=asyncio.create_task
    asyncio.ensure_future(work())  # error: ATS103:5 call=asyncio.ensure_future
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_loop_task_dropped():
    loop = asyncio.get_running_loop()
    loop.create_task(work())  # error: ATS103:5 call=loop.create_task
    asyncio.get_running_loop().create_task(work())  # error: ATS103:5 call=asyncio.get_running_loop().create_task


@pytest_asyncio.fixture
async def background():
    asyncio.create_task(work())  # error: ATS103:5 call=asyncio.create_task
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
