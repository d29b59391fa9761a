# modes: strict auto
# anyio runs plain async fixtures for the tests it runs: silent wherever anyio is at work.
import pytest


@pytest.fixture
async def run_by_anyio():
    return 1


@pytest.mark.anyio
async def test_uses(run_by_anyio):
    pass
