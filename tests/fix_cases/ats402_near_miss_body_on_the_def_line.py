async def test_x(event_loop): pass
