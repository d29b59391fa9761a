from unittest import TestCase
from unittest.mock import Mock  # the sync one


class TestX(TestCase):
    async def test_a(self):
        pass
