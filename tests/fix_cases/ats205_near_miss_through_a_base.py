import unittest


class Base(unittest.TestCase):
    pass


class TestX(Base):
    async def test_a(self):
        pass
