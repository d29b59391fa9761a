from os import path


async def test_x():
    pass
