from unittest.mock import Mock

import module


async def test_x():
    module.fetch = Mock(return_value=1)
