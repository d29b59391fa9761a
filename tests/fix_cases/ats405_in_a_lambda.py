import asyncio


async def f():
    return lambda: asyncio.get_event_loop()
