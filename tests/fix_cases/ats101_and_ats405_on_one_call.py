from asyncio import get_event_loop


async def f():
    get_event_loop()
