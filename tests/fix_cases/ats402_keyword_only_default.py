async def test_x(*, event_loop=1, other):
    pass
