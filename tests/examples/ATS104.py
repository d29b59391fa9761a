import asyncio
import atexit
import functools
import signal
import threading

import pytest
import pytest_asyncio


async def close_pool():
    pass


async def on_signal():
    pass


def sync_cleanup():
    pass


class Server:
    async def stop(self):
        pass

    def stop_now(self):
        pass


@pytest.fixture
def pool(request):
    request.addfinalizer(close_pool)  # error: ATS104:26 function=close_pool api=request.addfinalizer fix="make the fixture async and await it after its yield"
    request.node.addfinalizer(functools.partial(close_pool))  # error: ATS104:49 function=close_pool api=request.node.addfinalizer fix="make the fixture async and await it after its yield"
    return object()


@pytest.mark.asyncio
async def test_loop_callbacks():
    loop = asyncio.get_running_loop()
    server = Server()
    loop.call_soon(close_pool)  # error: ATS104:20 function=close_pool api=loop.call_soon fix="hand over a sync function that schedules it (lambda: loop.create_task(fn())), or await it"
    loop.call_later(0.1, server.stop)  # error: ATS104:26 function=server.stop api=loop.call_later fix="hand over a sync function that schedules it..."
    asyncio.get_running_loop().call_soon_threadsafe(close_pool)  # error: ATS104:53 function=close_pool api=asyncio.get_running_loop().call_soon_threadsafe fix="hand over a sync function that schedules it..."
    task = asyncio.create_task(asyncio.sleep(0))
    task.add_done_callback(on_signal)  # error: ATS104:28 function=on_signal api=task.add_done_callback fix="hand over a sync function that schedules it..."
    loop.add_signal_handler(signal.SIGUSR1, on_signal)  # error: ATS104:45 function=on_signal api=loop.add_signal_handler fix="hand over a sync function that schedules it..."
    await task


def test_threads_and_exit_hooks():
    threading.Thread(target=close_pool).start()  # error: ATS104:29 function=close_pool api=threading.Thread fix="hand over a sync function that runs it (lambda: asyncio.run(fn()))"
    atexit.register(close_pool)  # error: ATS104:21 function=close_pool api=atexit.register fix="hand over a sync function that runs it (lambda: asyncio.run(fn()))"
    signal.signal(signal.SIGUSR2, on_signal)  # error: ATS104:35 function=on_signal api=signal.signal fix="hand over a sync function that schedules it..."


def test_a_local_import():
    from threading import Timer

    Timer(1.0, close_pool).cancel()  # error: ATS104:16 function=close_pool api=Timer fix="hand over a sync function that runs it..."


# -- silent ----------------------------------------------------------------------------------


@pytest.fixture
def sync_pool(request):
    request.addfinalizer(sync_cleanup)
    request.addfinalizer(lambda: asyncio.run(close_pool()))
    return object()


@pytest_asyncio.fixture
async def async_pool():
    yield object()
    await close_pool()


@pytest.mark.asyncio
async def test_sync_callbacks_and_scheduled_coroutines():
    loop = asyncio.get_running_loop()
    server = Server()
    loop.call_soon(server.stop_now)
    loop.call_soon(lambda: loop.create_task(close_pool()))
    loop.call_soon(asyncio.ensure_future, close_pool())
    threading.Thread(target=asyncio.run, args=(close_pool(),)).start()


class Scheduler:
    def call_soon(self, callback):
        return callback


def test_other_objects_with_those_method_names():
    Scheduler().call_soon(close_pool)


def test_names_shadowed_by_a_parameter(atexit):
    atexit.register(close_pool)
