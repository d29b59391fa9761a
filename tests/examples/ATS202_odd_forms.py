# modes: strict auto
# Odd but valid forms: nothing crashes, and only what is certain is reported.
import pytest

options = {"scope": "module"}
decorators = [pytest.fixture]
SCOPE = "session"


@pytest.fixture(**options)
async def fixture_with_unpacked_options():  # error(strict): ATS202:1 name=fixture_with_unpacked_options
    return 1


@pytest.fixture(scope=SCOPE, name=SCOPE)
async def fixture_with_computed_name():  # error(strict): ATS202:1 name=fixture_with_computed_name
    return 1


@decorators[0]
async def decorator_from_a_subscript():
    return 1


@(lambda function: function)
async def test_lambda_decorator():
    pass


@pytest.mark.parametrize(*("x", [1]))
@pytest.mark.usefixtures(*["anyio_backend"])
async def test_starred_mark_arguments(x):
    pass


@pytest.mark.asyncio.with_args(loop_scope="module")
async def test_mark_with_args():
    pass


class TestOdd(*[object]):
    async def test_starred_base(self):
        pass


pytestmark: list = []
