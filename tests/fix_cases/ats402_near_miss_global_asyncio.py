async def test_x(event_loop):
    global asyncio
    return event_loop
