from unittest import TestCase


class TestX(TestCase):
    async def test_a(self):
        pass
