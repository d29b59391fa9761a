from pytest import fixture
import pytest_asyncio as pa


@fixture(name="thing")
async def make_thing():
    return 1
