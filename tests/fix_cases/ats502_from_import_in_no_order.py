from unittest.mock import patch, Mock


async def test_x():
    with patch("module.fetch", new=Mock()):
        call
