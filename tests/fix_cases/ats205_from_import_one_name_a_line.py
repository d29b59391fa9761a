from unittest import (
    TestCase,
    skip,
)


class TestX(TestCase):
    async def test_a(self):
        pass

@skip
def test_b():
    pass
