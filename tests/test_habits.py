"""Await habits across a suite: a conftest fixture's calls, learned from every file that can
request it (tests/examples/ATS101_habits.py has the one-module cases)."""

from __future__ import annotations

import ast
import subprocess
import sys

from flake8_async_testing.habits import module_uses
from flake8_async_testing.plugin import check
from flake8_async_testing.module_facts import module_facts
from flake8_async_testing.settings import Settings

CONFTEST = """\
    import pytest
    from somewhere import make_store


    @pytest.fixture
    async def store():
        return make_store()
"""
AWAITING = """\
    async def test_one(store):
        await store.put("k", 1)
        assert await store.fetch("k") == 1


    async def test_two(store):
        await store.put("k", 2)
        assert await store.fetch("k") == 2
"""
MISSING = "tests/api/test_missing.py"
PYPROJECT = '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n'


def findings(project, relative, settings=Settings()):
    path = project.root / relative
    return [(line, message) for line, _, message in check(ast.parse(path.read_text()), str(path), settings)]


def suite(project, missing):
    project.write("pyproject.toml", PYPROJECT)
    project.write("tests/conftest.py", CONFTEST)
    project.write("tests/test_awaiting.py", AWAITING)
    project.write("tests/api/test_missing.py", missing)


def test_a_conftest_fixtures_habit_is_learned_from_the_files_below(project):
    suite(project, "async def test_missing(store):\n    store.put('k', 3)\n    assert store.fetch('k')\n")
    found = findings(project, "tests/api/test_missing.py")
    assert [line for line, _ in found] == [2, 3]
    assert "(awaited in 2 other places of the suite, e.g. tests/test_awaiting.py:2)" in found[0][1]
    assert "(awaited in 2 other places of the suite, e.g. tests/test_awaiting.py:3)" in found[1][1]


def test_a_use_elsewhere_where_a_coroutine_would_be_a_mistake_ends_the_habit(project):
    suite(project, "async def test_missing(store):\n    store.put('k', 3)\n")
    project.write("tests/test_sync_use.py", "def test_sync(store):\n    assert store.put('k', 4).ok\n")
    assert findings(project, "tests/api/test_missing.py") == []


def test_a_nearer_definition_has_habits_of_its_own(project):
    suite(project, "async def test_missing(store):\n    store.put('k', 3)\n")
    project.write(
        "tests/api/conftest.py",
        "import pytest\n\n\n@pytest.fixture\ndef store():\n    return object()\n",
    )
    assert findings(project, "tests/api/test_missing.py") == []


def test_uses_below_a_nearer_definition_are_not_the_fixtures(project):
    """The files under a conftest that overrides the name use another object: their un-awaited
    calls neither count against the outer fixture's habit nor get reported by it."""
    suite(project, "async def test_missing(store):\n    store.put('k', 3)\n")
    project.write("tests/sync/conftest.py", "import pytest\n\n\n@pytest.fixture\ndef store():\n    return {}\n")
    project.write("tests/sync/test_sync.py", "def test_sync(store):\n    store.put('k', 4)\n")
    assert [line for line, _ in findings(project, "tests/api/test_missing.py")] == [2]
    assert findings(project, "tests/sync/test_sync.py") == []


def findings_beside(project, relative, text):
    """What the plugin finds on an un-awaited `store.put` beside one other test file."""
    project.write("pyproject.toml", PYPROJECT)
    project.write("tests/conftest.py", CONFTEST)
    project.write(relative, text)
    project.write("tests/test_missing.py", "async def test_missing(store):\n    store.put('k', 3)\n")
    return findings(project, "tests/test_missing.py")


def test_awaits_in_strings_and_helpers_are_no_evidence(project):
    """Text that reads `await store.put(` is only a hint: the parsed file decides."""
    text = (
        'SOURCE = """\nasync def test_x(store):\n    await store.put(1)\n    await store.put(2)\n"""\n\n\n'
        "async def helper(store):\n    await store.put(3)\n    await store.put(4)\n"
    )
    assert findings_beside(project, "tests/test_text.py", text) == []


def test_a_test_module_fixture_is_learned_from_its_module_only(project):
    project.write("pyproject.toml", PYPROJECT)
    project.write(
        "tests/test_one.py",
        "import pytest\n\n\n@pytest.fixture\ndef store():\n    return make()\n\n\n"
        "async def test_a(store):\n    await store.put(1)\n    store.fetch(1)\n",
    )
    project.write("tests/test_two.py", AWAITING.replace("    ", "", 1).replace("\n    ", "\n"))
    assert findings(project, "tests/test_one.py") == []


def test_switched_off_by_option(project):
    suite(project, "async def test_missing(store):\n    store.put('k', 3)\n")
    assert findings(project, "tests/api/test_missing.py", Settings(await_habits=False)) == []
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "ATS", "tests/api/test_missing.py"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "ATS101 coroutine from 'store.put' (awaited in 2 other places" in result.stdout, result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=ATS", "--await-habits=off", MISSING],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_bad_option_value_warns_once_and_keeps_habits_on(project):
    suite(project, "async def test_missing(store):\n    store.put('k', 3)\n")
    project.write("setup.cfg", "[flake8]\nselect = ATS\nawait-habits = sometimes\n")
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "tests/api/test_missing.py"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "await-habits = 'sometimes' is not one of on, off" in result.stderr
    assert "ATS101" in result.stdout


def test_a_mock_fixture_whose_awaits_the_suite_checks_is_an_async_mock(project):
    project.write("pyproject.toml", PYPROJECT)
    project.write(
        "tests/conftest.py",
        "import pytest\n\n\n@pytest.fixture\ndef sender(mocker):\n    return mocker.patch('app.mail.send_mail')\n",
    )
    project.write("tests/test_checks_awaits.py", "async def test_a(sender):\n    sender.assert_awaited_once()\n")
    project.write(
        "tests/test_calls.py",
        "async def test_b(sender):\n    sender.assert_called_once_with('a')\n\n\n"
        "async def test_c(sender):\n    sender.assert_called_once()\n    sender.assert_awaited_once()\n",
    )
    found = findings(project, "tests/test_calls.py")
    assert [line for line, _ in found] == [2]
    assert "(its awaits are checked at tests/test_calls.py:7)" in found[0][1]  # this module first
    assert findings(project, "tests/test_calls.py", Settings(await_habits=False)) == []
    project.write("tests/test_calls.py", "async def test_b(sender):\n    sender.assert_called_once_with('a')\n")
    found = findings(project, "tests/test_calls.py")
    assert "(its awaits are checked at tests/test_checks_awaits.py:2)" in found[0][1]


def test_module_uses_read_every_position():
    tree = ast.parse(
        "import asyncio\n\n\n"
        "async def test_x(a, b, self_bound):\n"
        "    await a.f()\n"  # 5 awaited
        "    a.g()\n"  # 6 statement
        "    assert a.h()\n"  # 7 assert
        "    x = a.i() == 1\n"  # 8 comparison
        "    y = a.j().k\n"  # 9 attribute read
        "    await asyncio.gather(a.l(), a.m())\n"  # 10 both handed to gather
        "    z = a.n()\n"  # 11 bound: nothing said
        "    async with a.o() as c:\n"  # 12 async with
        "        pass\n"
        "    b.p.assert_awaited_once()\n"  # 14 a mock's awaits checked
        "    assert b.q.await_count == 1\n"  # 15
        "    self_bound = None\n",
        mode="exec",
    )
    uses = module_uses(module_facts(tree, "test_x.py"), ("test",))
    assert {path[0]: [how for how, _, _ in sites] for (_, path), sites in uses.calls.items()} == {
        "f": ["awaited"],
        "g": ["contradicted"],
        "h": ["contradicted"],
        "i": ["contradicted"],
        "j": ["contradicted"],
        "l": ["awaited"],
        "m": ["awaited"],
        "o": ["contradicted"],
    }
    assert uses.mock_checks == {("b", ("p",)): 14, ("b", ("q",)): 15}


def test_a_parametrize_argument_of_the_same_name_is_no_evidence(project):
    text = (
        "import pytest\n\n\n@pytest.mark.parametrize('store', [1, 2])\nasync def test_x(store):\n"
        "    await store.put(1)\n    await store.put(2)\n"
    )
    assert findings_beside(project, "tests/test_other_objects.py", text) == []


def test_a_class_of_the_checked_module_with_its_own_definition_mixes_the_evidence(project):
    project.write("pyproject.toml", PYPROJECT)
    project.write("tests/conftest.py", CONFTEST)
    project.write(
        "tests/test_missing.py",
        "import pytest\n\n\nclass TestOwn:\n    @pytest.fixture\n    async def store(self):\n        return Other()\n\n"
        "    async def test_a(self, store):\n        await store.put('k', 1)\n        await store.put('k', 2)\n\n\n"
        "async def test_missing(store):\n    store.put('k', 3)\n",
    )
    assert findings(project, "tests/test_missing.py") == []


def test_awaits_on_lines_of_their_own_count_as_text_before_the_tree_decides(project):
    """The text search is an upper bound: a call handed to `gather` as a later argument, or on a
    line of its own, may be awaited; the parsed file then decides."""
    text = (
        "import asyncio\n\n\nasync def test_a(store):\n    await asyncio.gather(other(), store.put(1))\n\n\n"
        "async def test_b(store):\n    await asyncio.gather(\n        store.put(2),\n    )\n"
    )
    assert [line for line, _ in findings_beside(project, "tests/test_gather.py", text)] == [2]
