# modes: strict auto
import pytest

pytestmark = pytest.mark.asyncio


async def test_module_mark():
    pass


class TestModuleMark:
    async def test_method(self):
        pass
