async def test_x(event_loop):
    import asyncio
    return event_loop
