# modes: strict auto
# An autouse fixture that requests anyio_backend hands every test to anyio.
import pytest


@pytest.fixture
def backend_name(anyio_backend):
    return anyio_backend


@pytest.fixture(autouse=True)
def _use_anyio(backend_name):
    return backend_name


async def test_run_by_anyio():
    pass
