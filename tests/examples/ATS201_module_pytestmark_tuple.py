# modes: strict auto
# pytest rejects a tuple for pytestmark: these marks never reach the tests.
import pytest

pytestmark = (pytest.mark.asyncio,)


async def test_tuple_marks_do_not_count():  # error(strict): ATS201:1 name=test_tuple_marks_do_not_count
    pass
