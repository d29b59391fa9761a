async def test_x(event_loop):
    global event_loop
