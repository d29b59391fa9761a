import pytest


class TestX:
    async def test_x(self):
        pass
