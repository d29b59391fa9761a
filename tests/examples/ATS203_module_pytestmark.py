# modes: strict auto
# A module mark reaches sync tests too; pytest-asyncio ignores it there: silent.
import pytest

pytestmark = pytest.mark.asyncio


def test_sync():
    pass


async def test_async():
    pass
