import os


class TestX:
    async def test_x(self):
        pass
