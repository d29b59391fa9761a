from unittest import TestCase  # the base of our tests


class TestX(TestCase):
    async def test_a(self):
        pass
