import unittest


class TestX(unittest.TestCase):
    async def test_a(self):
        pass

    async def test_b(self):
        pass
