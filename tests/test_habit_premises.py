"""Premise of await habits, shown by a real pytest session: a call on a fixture's value that the
suite awaits elsewhere, left un-awaited, makes the test lie, and the plugin reports it although
no type says the call is a coroutine call (a project class whose methods a decorator makes
async, so the plugin cannot read them as `async def`).

Checked with pytest 9.0, pytest-asyncio 1.5, Python 3.11.
"""

from __future__ import annotations

from test_field_premises import outcomes, reported, run_pytest

PYTEST_INI = """\
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""

STORE = """\
import functools


def asynchronous(method):
    \"\"\"Makes a plain method async: the plugin cannot see that from the source.\"\"\"

    @functools.wraps(method)
    async def wrapper(*args, **kwargs):
        return method(*args, **kwargs)

    return wrapper


class Store:
    def __init__(self):
        self.items = {}

    @asynchronous
    def put(self, key, value):
        self.items[key] = value

    @asynchronous
    def has(self, key):
        return key in self.items
"""

CONFTEST = """\
import pytest

from store import Store


@pytest.fixture
def store():
    return Store()
"""

HABITS = """\
async def test_put_then_has(store):
    await store.put("a", 1)
    assert await store.has("a")


async def test_has_nothing(store):
    await store.put("b", 2)
    assert not await store.has("a")
"""

FLAGGED = """\
async def test_flagged_put(store):
    store.put("c", 3)
    assert "c" in store.items


async def test_flagged_has_passes_vacuously(store):
    assert store.has("never put")


async def test_near_miss_awaits(store):
    await store.put("d", 4)
    assert await store.has("d")
"""


def suite(project):
    project.write("pytest.ini", PYTEST_INI)
    project.write("store.py", STORE)
    project.write("tests/conftest.py", CONFTEST)
    project.write("tests/test_habits.py", HABITS)
    project.write("tests/test_flagged.py", FLAGGED)


def test_an_unawaited_habit_call_lies_at_run_time_and_is_reported(project):
    suite(project)
    result = run_pytest(project, "-p", "no:randomly")
    assert outcomes(result) == {
        "test_put_then_has": "PASSED",
        "test_has_nothing": "PASSED",
        # the put never ran: the assertion on its effect fails, naming the item, not the await
        "test_flagged_put": "FAILED",
        # an assert on a coroutine object passes whatever `has` would say: only a warning in
        # the summary shows that something was left un-awaited
        "test_flagged_has_passes_vacuously": "PASSED",
        "test_near_miss_awaits": "PASSED",
    }, result.stdout
    assert "assert 'c' in {}" in result.stdout
    assert "RuntimeWarning: coroutine 'Store.has' was never awaited" in result.stdout
    assert reported(project, "tests/test_flagged.py") == [(2, "ATS101"), (7, "ATS101")]
    assert reported(project, "tests/test_habits.py") == []


def test_without_the_suites_habit_the_plugin_stays_silent(project):
    """The same un-awaited calls, in a suite that never awaits them elsewhere: no evidence."""
    suite(project)
    project.write("tests/test_habits.py", "async def test_nothing(store):\n    assert store.items == {}\n")
    assert reported(project, "tests/test_flagged.py") == []
