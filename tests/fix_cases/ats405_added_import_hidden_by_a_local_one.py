from asyncio import get_event_loop


async def f():
    get_event_loop()


async def g():
    from asyncio import get_running_loop
    get_event_loop()
    return get_running_loop
