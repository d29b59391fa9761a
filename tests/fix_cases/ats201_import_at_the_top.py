X = 1


async def test_x():
    pass
