# modes: strict auto
# Marks on a fixture's params reach every test that requests it (asgi-lifespan does this).
import pytest


@pytest.fixture(
    params=[pytest.param("asyncio", marks=pytest.mark.asyncio), pytest.param("trio", marks=pytest.mark.trio)]
)
def concurrency(request):
    return request.param


@pytest.mark.usefixtures("concurrency")
async def test_marked_through_fixture_params():
    pass
