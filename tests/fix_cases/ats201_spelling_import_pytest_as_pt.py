import pytest as pt


class TestX:
    async def test_x(self):
        pass
