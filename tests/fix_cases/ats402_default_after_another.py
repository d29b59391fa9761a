async def test_x(tmp_path, event_loop=None):
    pass
