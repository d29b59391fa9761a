async def test_x():
    async def inner():
        pass
