async def test_x(event_loop, tmp_path):
    pass
