async def test_x():
    pass
