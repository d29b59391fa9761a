import pytest
from pytest import mark

pytestmark = [mark.usefixtures("x"), pytest.mark.asyncio(scope="module")]


@pytest.mark.asyncio(scope = "class")  # keep
async def test_x():
    pass
