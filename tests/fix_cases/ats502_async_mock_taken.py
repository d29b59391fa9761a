from unittest.mock import Mock, patch

AsyncMock = None


async def test_x():
    with patch("module.fetch", Mock()):
        pass
