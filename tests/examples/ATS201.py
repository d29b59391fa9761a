# modes: strict auto
# Expectations, as tests/annotations.py reads them: "error" in every mode, "error(strict)" in strict only.
import unittest
from unittest import mock

import pytest
import pytest as pt
from pytest import mark


async def test_without_mark():  # error(strict): ATS201:1 name=test_without_mark
    pass


class TestPlain:
    async def test_method_without_mark(self):  # error(strict): ATS201:5 name=test_method_without_mark
        pass

    @staticmethod
    async def test_static_without_mark():  # error(strict): ATS201:5 name=test_static_without_mark
        pass

    class TestNested:
        async def test_nested_without_mark(self):  # error(strict): ATS201:9 name=test_nested_without_mark
            pass


@pytest.mark.parametrize("x", [1, 2])
@pytest.mark.skip(reason="other marks are not async marks")
async def test_other_marks_only(x):  # error(strict): ATS201:1 name=test_other_marks_only
    pass


@mock.patch("os.getcwd")
async def test_patched_without_mark(getcwd):  # error(strict): ATS201:1 name=test_patched_without_mark
    pass


# -- silent: marked in every form pytest accepts --------------------------------------------


@pytest.mark.asyncio
async def test_marked():
    pass


@pytest.mark.asyncio()
async def test_marked_called():
    pass


@pytest.mark.asyncio(loop_scope="module")
async def test_marked_loop_scope():
    pass


@mark.asyncio
async def test_marked_from_import():
    pass


@pt.mark.asyncio
async def test_marked_through_alias():
    pass


@pytest.mark.anyio
async def test_anyio_mark():
    pass


@pytest.mark.trio
async def test_trio_mark():
    pass


async def test_requests_anyio_backend(anyio_backend):
    pass


@pytest.mark.usefixtures("anyio_backend")
async def test_uses_anyio_backend():
    pass


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_parametrizes_anyio_backend(anyio_backend):
    pass


@pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.asyncio)])
async def test_marks_on_parameters(x):
    pass


@pytest.mark.asyncio
class TestMarkedClass:
    async def test_method(self):
        pass


class TestClassPytestmark:
    pytestmark = pytest.mark.asyncio

    async def test_method(self):
        pass


class TestInheritsMarks(TestMarkedClass):
    async def test_inherited_mark(self):
        pass


# -- silent: not a test pytest collects, or run by something else ---------------------------


async def helper_not_a_test():
    pass


class NotATestClass:
    async def test_not_collected(self):
        pass


class TestWithInit:
    def __init__(self):
        pass

    async def test_not_collected(self):
        pass


class TestImportedBase(unittest.SomeUnknownBase):
    async def test_base_may_run_it(self):
        pass


class TestIsolated(unittest.IsolatedAsyncioTestCase):
    async def test_run_by_unittest(self):
        pass


def some_decorator(function):
    return function


@some_decorator
async def test_wrapped_by_unknown_decorator():
    pass


def test_sync():
    async def test_nested_function_is_not_collected():
        pass


@pytest.fixture
def sync_fixture():
    return 1
