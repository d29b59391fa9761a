import pytest


@pytest.mark.parametrize("x", [1])
@pytest.mark.asyncio(
    loop_scope="module",
)
def test_x(x):
    pass


class TestY:
    @pytest.mark.asyncio  # was async once
    def test_y(self):
        pass
