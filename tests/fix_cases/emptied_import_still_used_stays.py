from unittest import TestCase


class TestX(TestCase):
    async def test_a(self):
        pass


class Helper(TestCase):
    def test_b(self):
        pass
