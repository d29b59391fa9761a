# modes: strict auto
import pytest
from pytest import mark


@pytest.mark.asyncio  # error: ATS203:2 name=test_sync_with_mark
def test_sync_with_mark():
    pass


@mark.asyncio()  # error: ATS203:2 name=test_sync_with_called_mark
def test_sync_with_called_mark():
    pass


class TestSync:
    @pytest.mark.asyncio  # error: ATS203:6 name=test_method
    def test_method(self):
        pass


# -- silent --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_async_with_mark():
    pass


@pytest.mark.asyncio
class TestClassMark:
    def test_sync_under_class_mark(self):
        pass


@pytest.mark.anyio
def test_sync_with_other_mark():
    pass


@pytest.mark.asyncio
def helper_not_a_test():
    pass


def wraps_into_async(function):
    return function


@pytest.mark.asyncio
@wraps_into_async
def test_decorator_may_make_it_async():
    pass
