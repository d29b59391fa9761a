from asyncio import get_event_loop

get_running_loop = None


async def f():
    get_event_loop()
