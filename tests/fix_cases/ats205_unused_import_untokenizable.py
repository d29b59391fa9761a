from unittest import TestCase, main


class TestA(TestCase):
    async def test_a(self):
        main
