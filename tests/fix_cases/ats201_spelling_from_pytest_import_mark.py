import pytest
from pytest import mark


class TestX:
    async def test_x(self):
        pass
