async def test_x(event_loop=None, tmp_path=1):
    pass
