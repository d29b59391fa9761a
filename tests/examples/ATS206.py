# modes: strict auto
import unittest

import pytest


async def test_async_generator():  # error: ATS206:1 name=test_async_generator
    yield 1


@pytest.mark.asyncio
async def test_marked_async_generator():  # error: ATS206:1 name=test_marked_async_generator
    value = yield
    assert value is None


class TestClass:
    async def test_method_generator(self):  # error: ATS206:5 name=test_method_generator
        yield


class Case(unittest.IsolatedAsyncioTestCase):
    async def test_generator(self):  # error: ATS206:5 name=test_generator
        yield


# -- silent --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_nested_generator_is_fine():
    async def agen():
        yield 1

    assert [x async for x in agen()] == [1]


@pytest.mark.asyncio
async def test_lambda_with_yield_is_fine():
    make = lambda: (yield)  # noqa: E731
    assert make is not None


async def helper_generator():
    yield 1


def test_sync_generator():
    yield 1
