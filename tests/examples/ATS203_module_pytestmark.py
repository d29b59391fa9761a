# modes: strict auto
# A module mark meant for the async tests also reaches the sync ones (pytest-asyncio warns
# about those); the mark is not written on the sync test itself, so ATS203 stays silent.
import pytest

pytestmark = pytest.mark.asyncio


def test_sync():
    pass


async def test_async():
    pass
