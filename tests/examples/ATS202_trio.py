# modes: strict auto
import pytest


@pytest.fixture
async def run_by_trio():
    return 1


@pytest.mark.trio
async def test_uses(run_by_trio):
    pass
