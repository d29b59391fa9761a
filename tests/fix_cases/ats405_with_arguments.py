import asyncio


async def f():
    asyncio.get_event_loop(None)
