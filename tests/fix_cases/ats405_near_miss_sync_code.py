import asyncio


def test_x():
    asyncio.get_event_loop().time()
