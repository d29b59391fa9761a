from unittest import TestCase

IsolatedAsyncioTestCase = None


class TestA(TestCase):
    async def test_a(self):
        pass
