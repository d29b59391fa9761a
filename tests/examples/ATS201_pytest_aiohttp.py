# modes: strict auto
# pytest-aiohttp >= 1.0 runs no test itself: it hands async tests to pytest-asyncio (it has no
# pytest_pyfunc_call), so in strict mode an unmarked async test is still not run.
import pytest

pytest_plugins = ["pytest_aiohttp"]


async def test_unmarked_under_pytest_aiohttp():  # error(strict): ATS201:1 name=test_unmarked_under_pytest_aiohttp
    pass


@pytest.mark.asyncio
async def test_marked():
    pass


# pytest-asyncio-cooperative runs tests with its own mark.


@pytest.mark.asyncio_cooperative
async def test_cooperative():
    pass
