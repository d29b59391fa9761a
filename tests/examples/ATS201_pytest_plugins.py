# modes: strict auto
# A plugin that runs coroutines itself (aiohttp's) may run these tests.
pytest_plugins = ["aiohttp.pytest_plugin"]


async def test_run_by_plugin():
    pass
