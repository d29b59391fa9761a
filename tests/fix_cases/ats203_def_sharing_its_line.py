import pytest


class TestY:
    @pytest.mark.asyncio
    def test_y(self): pass
