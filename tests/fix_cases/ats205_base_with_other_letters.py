import unittest


class TestA(unittest.ＴestCase):
    async def test_a(self):
        pass
