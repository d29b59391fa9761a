from unittest.mock import AsyncMock, call

import pytest


@pytest.mark.asyncio
async def test_x():
    sent = AsyncMock()
    await sent(1)
    assert sent.called
    assert sent.call_count == 1 and sent.call_args == call(1)
    assert call(1) in sent.call_args_list
    assert not sent.other.called
