from unittest.mock import call, Mock, patch


async def test_x():
    with patch("module.fetch", new=Mock()):
        call
