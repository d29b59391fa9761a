from unittest.mock import AsyncMock, Mock

import pytest


@pytest.mark.asyncio
async def test_x():
    sent = AsyncMock()
    await sent(1)
    sent.assert_called_once_with(1)
    plain = Mock()
    plain(1)
    plain.assert_called_once_with(1)
