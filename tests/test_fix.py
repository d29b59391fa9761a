"""The fix command: on a copy of the example suite in a subprocess (flake8 decides, the edits
are kept by a later flake8 run), and each fixer on small sources (one fix, one near miss)."""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_async_testing.cli import run_fix
from flake8_async_testing.apply_fixes import apply_edits, fix_source
from flake8_async_testing.fixers import FIXES, SAFE, UNSAFE
from flake8_async_testing.plugin import Plugin, check
from flake8_async_testing.rules import ALL_CODES
from flake8_async_testing.rules.mock_misuse import AWAITED_EQUIVALENTS, CALLED_ASSERTIONS
from flake8_async_testing.source_file import Edit, Report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ALL = {code.code for code in ALL_CODES}
SAFE_FIXES = {code for code, (safety, _) in FIXES.items() if safety == SAFE}


def command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_async_testing", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def flake8_codes(cwd: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "ATS", "."], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    return set(re.findall(r": (ATS\d{3}) ", result.stdout))


def pyflakes_messages(root: Path) -> set[str]:
    """What pyflakes says, without line numbers (fixes move lines)."""
    result = subprocess.run([sys.executable, "-m", "pyflakes", "."], cwd=root, capture_output=True, text=True)
    return {re.sub(r":\d+:\d+:? ", ": ", line) for line in result.stdout.splitlines()}


def snapshot(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.py"))}


@pytest.fixture(autouse=True)
def _plugin_options_restored():
    """run_fix runs flake8 in this process, which sets the plugin's options on its class."""
    saved = Plugin.settings, Plugin.enabled
    yield
    Plugin.settings, Plugin.enabled = saved


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    return root


# -- the example suite, in a subprocess ------------------------------------------------------


def test_every_fix_has_a_registered_code_and_the_examples_show_each_fixed_code():
    assert set(FIXES) <= ALL
    marked = set(re.findall(r"#\s*(ATS\d{3})", "".join(snapshot(EXAMPLES).values())))
    assert set(FIXES) <= marked


def test_fix_leaves_only_codes_without_a_safe_fix_and_a_second_run_changes_nothing(suite):
    before = flake8_codes(suite)
    assert SAFE_FIXES <= before

    first = command("fix", cwd=suite)
    assert first.returncode == 0, first.stderr
    assert re.search(r"fixed \d+ findings in \d+ files", first.stderr)
    left = flake8_codes(suite)
    assert not left & SAFE_FIXES
    assert {"ATS101", "ATS502", "ATS503", "ATS402"} <= left  # unsafe fixes are not applied
    assert "have an unsafe fix (--unsafe-fixes)" in first.stderr
    for name, text in snapshot(suite).items():
        ast.parse(text, filename=name)

    fixed = snapshot(suite)
    second = command("fix", cwd=suite)
    assert second.returncode == 0, second.stderr
    assert "fixed 0 findings in 0 files" in second.stderr
    assert snapshot(suite) == fixed


def test_unsafe_fixes_leave_only_codes_without_any_fix_and_are_idempotent(suite):
    names = pyflakes_messages(suite)
    first = command("fix", "--unsafe-fixes", cwd=suite)
    assert first.returncode == 0, first.stderr
    left = flake8_codes(suite)
    assert left and not left & set(FIXES)
    for name, text in snapshot(suite).items():
        ast.parse(text, filename=name)
    assert pyflakes_messages(suite) == names  # no import left unused, no name undefined
    fixed = snapshot(suite)
    second = command("fix", "--unsafe-fixes", cwd=suite)
    assert (second.returncode, snapshot(suite)) == (0, fixed)


def test_every_annotated_example_file_compiles_after_its_fixes_and_nothing_is_left_for_a_second_run(tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(Path(__file__).resolve().parent / "examples", root)
    names = pyflakes_messages(root)
    first = command("fix", "--unsafe-fixes", "--", "--pytest-python-files=ATS*.py", cwd=root)
    assert "fixed" in first.stderr and "left untouched" not in first.stderr, first.stderr
    fixed = snapshot(root)
    for name, text in fixed.items():
        compile(text, name, "exec", dont_inherit=True)
    assert pyflakes_messages(root) == names
    command("fix", "--unsafe-fixes", "--", "--pytest-python-files=ATS*.py", cwd=root)
    assert snapshot(root) == fixed


def test_noqa_lines_stay_untouched(suite):
    users = suite / "tests" / "test_users.py"
    text = users.read_text(encoding="utf-8")
    for line in ("async def test_email_is_optional(session):  # ", "    deactivate_user(session, alice.id)  # "):
        text = text.replace(line + "ATS", line + "noqa: ATS")
    users.write_text(text, encoding="utf-8")
    result = command("fix", "--unsafe-fixes", cwd=suite)
    assert result.returncode == 0, result.stderr
    after = users.read_text(encoding="utf-8").splitlines()
    assert "    deactivate_user(session, alice.id)  # noqa: ATS101" in after
    test_line = after.index("async def test_email_is_optional(session):  # noqa: ATS201")
    assert "mark" not in after[test_line - 1]
    assert "    assert await get_user_by_name(session, \"bob\")  # ATS101" in after  # the other one is fixed


def test_diff_writes_nothing_and_shows_what_fix_writes(suite, tmp_path):
    before = snapshot(suite)
    shown = command("fix", "--diff", cwd=suite)
    assert shown.returncode == 1
    assert snapshot(suite) == before
    assert shown.stdout.startswith("--- ./tests/")
    assert "+@pytest_asyncio.fixture" in shown.stdout and "-@pytest.fixture" in shown.stdout
    assert "would fix" in shown.stderr

    command("fix", cwd=suite)
    assert command("fix", "--diff", cwd=suite).stdout == ""  # nothing left to show once fixed
    copy = tmp_path / "again"
    shutil.copytree(EXAMPLES, copy)
    assert command("fix", "--diff", cwd=copy).stdout == shown.stdout


def test_diff_exits_zero_when_there_is_nothing_to_change(tmp_path):
    (tmp_path / "test_ok.py").write_text("import pytest\n\n\n@pytest.mark.asyncio\nasync def test_ok():\n    pass\n")
    result = command("fix", "--diff", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_the_flake8_configuration_decides_what_is_fixed(suite):
    (suite / "setup.cfg").write_text(
        "[flake8]\nextend-ignore = ATS203\nper-file-ignores =\n    tests/test_api.py: ATS408\n"
        "extend-exclude = tests/test_users.py\n",
        encoding="utf-8",
    )
    before = snapshot(suite)
    assert command("fix", cwd=suite).returncode == 0
    after = snapshot(suite)
    assert after["tests/test_users.py"] == before["tests/test_users.py"]  # excluded: no ATS201 fix
    assert '@pytest.mark.asyncio(scope="module")  # ATS408' in after["tests/test_api.py"]
    assert "asyncio.get_running_loop()  # ATS405" in after["tests/test_api.py"]
    assert "@pytest.mark.asyncio  # ATS203" in after["tests/test_services.py"]


def test_the_plugins_options_decide_too(suite):
    (suite / "setup.cfg").write_text("[flake8]\nasyncio-mode = auto\n", encoding="utf-8")
    assert command("fix", cwd=suite).returncode == 0
    after = snapshot(suite)
    assert "@pytest.fixture\nasync def admin_token" in after["tests/conftest.py"]  # no ATS202 in auto mode


def test_options_after_a_double_dash_go_to_flake8(suite):
    result = command("fix", "--diff", "--", "--extend-ignore=ATS202,ATS201", cwd=suite)
    assert result.returncode == 1
    assert "pytest_asyncio.fixture" not in result.stdout
    assert "+@pytest.mark.asyncio\n" not in result.stdout
    assert "loop_scope" in result.stdout


def test_the_console_script_is_installed():
    script = Path(sys.executable).with_name("flake8-async-testing")
    if not script.exists():
        pytest.skip("the package is not installed with its scripts in this environment")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "flake8-async-testing" in result.stdout


def test_a_file_whose_fix_would_not_compile_is_left_untouched(project, monkeypatch):
    path = project.write("test_x.py", "async def test_x():\n    pass\n")
    monkeypatch.setitem(FIXES, "ATS201", (SAFE, lambda file, report: [Edit(0, 0, "def (")]))
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.chdir(project.root)
    assert run_fix(["test_x.py"], out=out, err=err) == 1
    assert path.read_text() == "async def test_x():\n    pass\n"
    assert "test_x.py: left untouched: the fixed code would not compile" in err.getvalue()


def test_a_finding_that_cannot_be_fixed_here_gives_a_message_and_exit_status_one(project, monkeypatch):
    project.write("test_x.py", "import pytest\n\n\n@pytest.mark.asyncio(scope='module', loop_scope='module')\n"
                  "async def test_x():\n    pass\n")
    monkeypatch.chdir(project.root)
    out, err = io.StringIO(), io.StringIO()
    assert run_fix(["."], out=out, err=err) == 1
    assert "./test_x.py:4:2: ATS408 not fixed: the mark has both scope= and loop_scope=" in err.getvalue()


# -- each fixer on a small source --------------------------------------------------------------


def fix(project, source: str, unsafe: bool = True, name: str = "tests/test_x.py", ini: str = "[pytest]\n"):
    """Check the source as flake8 would (no config), then fix what was found."""
    project.write("pytest.ini", ini)
    path = project.write(name, source)
    text = path.read_text(encoding="utf-8")
    reports = [Report(line, col, message[:6], message[7:]) for line, col, message in check(ast.parse(text), str(path))]
    result = fix_source(text, str(path), reports, unsafe)
    return result.source, result


def fixed_codes(result) -> list[str]:
    return [report.code for report in result.fixed]


def test_ats408_renames_scope_on_marks_in_every_form(project):
    source, result = fix(project, """\
        import pytest
        from pytest import mark

        pytestmark = [mark.usefixtures("x"), pytest.mark.asyncio(scope="module")]


        @pytest.mark.asyncio(scope = "class")  # keep
        async def test_x():
            pass
        """)
    assert fixed_codes(result) == ["ATS408", "ATS408"]
    assert 'pytest.mark.asyncio(loop_scope="module")]' in source
    assert '@pytest.mark.asyncio(loop_scope = "class")  # keep' in source


def test_ats408_near_miss_both_keywords(project):
    source, result = fix(project, """\
        import pytest


        @pytest.mark.asyncio(scope="module", loop_scope="module")
        async def test_x():
            pass
        """)
    assert result.fixed == [] and "both scope= and loop_scope=" in result.skipped[0][1]
    assert 'scope="module", loop_scope' in source


def test_ats405_in_a_coroutine(project):
    source, result = fix(project, """\
        import asyncio as aio

        import pytest


        @pytest.mark.asyncio
        async def test_x():
            assert aio.get_event_loop().is_running()
        """)
    assert fixed_codes(result) == ["ATS405"]
    assert "assert aio.get_running_loop().is_running()" in source


def test_ats405_imported_name_gets_its_neighbour(project):
    source, _ = fix(project, """\
        from asyncio import get_event_loop

        import pytest


        @pytest.mark.asyncio
        async def test_x():
            get_event_loop().time()
        """)
    assert source.startswith("from asyncio import get_running_loop\n")  # get_event_loop is no longer used
    assert "    get_running_loop().time()" in source


def test_ats405_near_miss_sync_code(project):
    text = "import asyncio\n\n\ndef test_x():\n    asyncio.get_event_loop().time()\n"
    source, result = fix(project, text)
    assert source == text
    assert [report.code for report in result.no_fix] == ["ATS405"]


def test_ats203_removes_the_mark_and_keeps_a_comment(project):
    source, result = fix(project, """\
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
        """)
    assert fixed_codes(result) == ["ATS203", "ATS203"]
    assert '@pytest.mark.parametrize("x", [1])\ndef test_x(x):' in source
    assert "    # was async once\n    def test_y(self):" in source


def test_ats203_near_miss_a_mark_sharing_its_line(project):
    text = "import pytest\n\n\nclass TestY:\n    @pytest.mark.asyncio\n    def test_y(self): pass\n"
    source, result = fix(project, text)
    assert fixed_codes(result) == ["ATS203"]
    text = "import pytest\nmark = pytest.mark.asyncio\n\n\n@mark\ndef test_y():\n    pass\n"
    source, result = fix(project, text)  # a mark through a name: reported at the name
    assert fixed_codes(result) == ["ATS203"] and "@mark" not in source


def test_ats202_keeps_the_arguments_and_adds_the_import(project):
    source, result = fix(project, """\
        import asyncio

        import pytest


        @pytest.fixture(scope="module", autouse=True)
        async def ready():
            await asyncio.sleep(0)


        @pytest.fixture
        async def other():
            return 1


        @pytest.fixture
        def sync_one():
            return 2
        """, ini="[pytest]\nasyncio_default_fixture_loop_scope = module\n")
    assert fixed_codes(result) == ["ATS202", "ATS202"]
    assert source.count("import pytest_asyncio\n") == 1
    assert "import pytest\nimport pytest_asyncio\n" in source
    assert '@pytest_asyncio.fixture(scope="module", autouse=True)\nasync def ready' in source
    assert "@pytest_asyncio.fixture\nasync def other" in source


def test_ats202_uses_the_modules_spelling(project):
    source, _ = fix(project, """\
        from pytest import fixture
        import pytest_asyncio as pa


        @fixture(name="thing")
        async def make_thing():
            return 1
        """)
    assert '@pa.fixture(name="thing")' in source


def test_ats202_near_miss_a_sync_fixture(project):
    text = "import pytest\n\n\n@pytest.fixture\ndef thing():\n    return 1\n"
    assert fix(project, text)[0] == text


@pytest.mark.parametrize(
    ("imports", "mark"),
    [
        ("import pytest\n", "@pytest.mark.asyncio"),
        ("import pytest as pt\n", "@pt.mark.asyncio"),
        ("import pytest\nfrom pytest import mark\n", "@mark.asyncio"),
        ("import os\n", "@pytest.mark.asyncio"),
    ],
)
def test_ats201_adds_the_mark_in_the_modules_spelling(project, imports, mark):
    source, result = fix(project, imports + "\n\nclass TestX:\n    async def test_x(self):\n        pass\n")
    assert fixed_codes(result) == ["ATS201"]
    assert f"class TestX:\n    {mark}\n    async def test_x(self):" in source
    if imports == "import os\n":
        assert source.startswith("import os\nimport pytest\n")


def test_ats201_near_miss_where_anyio_is_at_work(project):
    text = """\
        import pytest


        @pytest.fixture
        def anyio_backend():
            return "asyncio"


        async def test_x():
            pass
        """
    source, result = fix(project, text)
    assert result.fixed == []
    assert [report.code for report, _ in result.skipped] == ["ATS201"]
    assert "anyio or trio" in result.skipped[0][1]


def test_ats205_changes_the_base_class(project):
    source, result = fix(project, """\
        import unittest


        class TestX(unittest.TestCase):
            async def test_a(self):
                pass

            async def test_b(self):
                pass
        """)
    assert fixed_codes(result) == ["ATS205", "ATS205"]
    assert "class TestX(unittest.IsolatedAsyncioTestCase):" in source


def test_ats205_imported_name(project):
    source, _ = fix(project, "from unittest import TestCase\n\n\nclass TestX(TestCase):\n    async def test_a(self):\n"
                    "        pass\n")
    assert source.startswith("from unittest import IsolatedAsyncioTestCase\n")
    assert "class TestX(IsolatedAsyncioTestCase):" in source


def test_ats205_near_miss_through_a_base_of_the_module(project):
    text = "import unittest\n\n\nclass Base(unittest.TestCase):\n    pass\n\n\nclass TestX(Base):\n" \
           "    async def test_a(self):\n        pass\n"
    source, result = fix(project, text)
    assert source == text and "through another class" in result.skipped[0][1]


COROUTINE = """\
import pytest


async def fetch():
    return 1


"""


def test_ats101_adds_await(project):
    source, result = fix(project, COROUTINE + """\
@pytest.mark.asyncio
async def test_x():
    fetch()
    assert fetch()
    pending = fetch()
    assert not fetch() == 1
""")
    assert fixed_codes(result) == ["ATS101"] * 4
    assert "    await fetch()\n    assert await fetch()\n    pending = await fetch()\n" in source
    assert "    assert not await fetch() == 1" in source


def test_ats101_near_misses(project):
    text = COROUTINE + "@pytest.mark.asyncio\nasync def test_x():\n    fetch()\n"
    source, result = fix(project, text, unsafe=False)
    assert source == text and [report.code for report in result.unsafe_only] == ["ATS101"]
    # a call inside a primary needs parentheses; inside a lambda, `await` cannot go
    text = "async def f():\n    g().x\n    (lambda: g())\n"
    result = fix_source(text, "test_x.py", [Report(2, 4, "ATS101", "..."), Report(3, 13, "ATS101", "...")], True)
    assert "    (await g()).x\n" in result.source
    assert "lambda" in result.skipped[0][1]


def test_ats503_renames_each_reported_assertion():
    assert set(AWAITED_EQUIVALENTS) == CALLED_ASSERTIONS
    for called, awaited in AWAITED_EQUIVALENTS.items():
        text = f"async def f(m):\n    m.child.{called}(1)\n"
        result = fix_source(text, "test_x.py", [Report(2, 4, "ATS503", "...")], True)
        assert result.source == f"async def f(m):\n    m.child.{awaited}(1)\n"


def test_ats503_renames_each_reported_call_record(project):
    source, result = fix(project, """\
        from unittest.mock import AsyncMock, call

        import pytest


        @pytest.mark.asyncio
        async def test_x():
            sent = AsyncMock()
            await sent(1)
            assert sent.called
            assert sent.call_count == 1 and sent.call_args == call(1)
            assert call(1) in sent.call_args_list
            assert not sent.other.called
        """)
    assert fixed_codes(result) == ["ATS503"] * 4
    assert "assert sent.await_count\n" in source
    assert "assert sent.await_count == 1 and sent.await_args == call(1)\n" in source
    assert "assert call(1) in sent.await_args_list\n" in source
    assert "assert not sent.other.called\n" in source  # not reported: a check that it was not called


def test_ats503_from_the_checker_and_a_near_miss(project):
    source, result = fix(project, """\
        from unittest.mock import AsyncMock, Mock

        import pytest


        @pytest.mark.asyncio
        async def test_x():
            sent = AsyncMock()
            await sent(1)
            sent.assert_called_once_with(1)
            plain = Mock()
            plain(1)
            plain.assert_called_once_with(1)
        """)
    assert fixed_codes(result) == ["ATS503"]
    assert "sent.assert_awaited_once_with(1)" in source and "plain.assert_called_once_with(1)" in source


def test_ats502_makes_the_mock_async_from_the_same_module(project):
    source, result = fix(project, COROUTINE + """\
from unittest.mock import Mock, patch


@pytest.mark.asyncio
async def test_x():
    with patch("tests.test_x.fetch", new=Mock(return_value=2)):
        pass
""")
    assert fixed_codes(result) == ["ATS502"]
    assert "from unittest.mock import AsyncMock, patch\n" in source
    assert "new=AsyncMock(return_value=2)" in source


def test_ats502_new_callable_keeps_the_modules_spelling(project):
    source, result = fix(project, COROUTINE + """\
from unittest import mock


@pytest.mark.asyncio
async def test_x():
    with mock.patch("tests.test_x.fetch", new_callable=mock.MagicMock):
        pass
""")
    assert fixed_codes(result) == ["ATS502"]
    assert "new_callable=mock.AsyncMock)" in source and "import AsyncMock" not in source


def test_ats502_near_miss_a_mock_made_elsewhere(project):
    text = COROUTINE + """\
from unittest.mock import Mock, patch

SHARED = Mock()


@pytest.mark.asyncio
async def test_x(monkeypatch):
    monkeypatch.setattr("tests.test_x.fetch", SHARED)
"""
    source, result = fix(project, text)
    assert source == text
    assert not result.fixed and [reason for _, reason in result.skipped] == [
        "the sync mock 'SHARED' is made elsewhere: make it an AsyncMock where it is created"
    ]


def test_ats402_drops_the_parameter_and_binds_the_name(project):
    source, result = fix(project, """\
        import pytest


        @pytest.mark.asyncio
        async def test_x(
            tmp_path,  # a folder
            event_loop
        ):
            \"\"\"Docs.\"\"\"
            assert event_loop.is_running()


        @pytest.mark.asyncio
        async def test_y(event_loop, tmp_path):
            pass
        """)
    assert fixed_codes(result) == ["ATS402", "ATS402"]
    assert "async def test_x(\n    tmp_path  # a folder\n):\n" in source
    assert '    """Docs."""\n    event_loop = asyncio.get_running_loop()\n    assert event_loop.is_running()' in source
    assert "async def test_y(tmp_path):\n    pass" in source
    assert source.startswith("import asyncio\nimport pytest\n")


def test_ats402_near_miss_a_sync_requester(project):
    text = "def test_x(event_loop):\n    event_loop.run_until_complete(None)\n"
    source, result = fix(project, text)
    assert source == text and [report.code for report in result.no_fix] == ["ATS402"]


def test_text_outside_the_edits_is_kept_byte_for_byte(tmp_path):
    text = "# -*- coding: utf-8 -*-\r\nimport pytest\r\n\r\n\r\nasync def test_é():\r\n    pass  # café\r\n"
    result = fix_source(text, "test_x.py", [Report(5, 0, "ATS201", "...")], False)
    assert result.source == text.replace("async def", "@pytest.mark.asyncio\r\nasync def")


def test_the_same_edit_is_made_once_and_overlapping_edits_wait_for_the_next_round(monkeypatch):
    text = "async def f():\n    g()\n"
    result = fix_source(text, "x.py", [Report(2, 4, "ATS101", "a"), Report(2, 4, "ATS101", "b")], True)
    assert result.source == "async def f():\n    await g()\n"
    monkeypatch.setitem(FIXES, "ATS503", (SAFE, lambda file, report: [Edit(19, 22, "h()")]))
    result = fix_source(text, "x.py", [Report(2, 4, "ATS101", "a"), Report(2, 4, "ATS503", "b")], True)
    assert result.source == "async def f():\n    await g()\n"  # an insertion where a replacement starts
    assert result.skipped[0][1] == "another fix changes the same text: run the command again"
    assert apply_edits("abc", [Edit(1, 1, "x"), Edit(1, 2, "Y")]) == "axYc"


def test_a_fix_that_makes_another_possible_is_followed_in_the_same_run(project, monkeypatch):
    project.write("pytest.ini", "[pytest]\n")
    path = project.write("tests/test_x.py", COROUTINE + """\
from unittest.mock import Mock, patch


@pytest.mark.asyncio
async def test_x():
    with patch("tests.test_x.fetch", new=Mock()) as fetched:
        await fetch()
    fetched.assert_called_once()
""")
    monkeypatch.chdir(project.root)
    err = io.StringIO()
    assert run_fix(["tests"], unsafe=True, out=io.StringIO(), err=err) == 0, err.getvalue()
    text = path.read_text()
    assert "new=AsyncMock()) as fetched" in text and "fetched.assert_awaited_once()" in text
    assert "fixed 2 findings in 1 file" in err.getvalue()


def test_a_stored_mark_with_arguments_is_not_the_modules_spelling_of_the_mark(project):
    source, _ = fix(project, """\
        import pytest

        module_loop = pytest.mark.asyncio(loop_scope="module")


        async def test_x():
            pass
        """)
    assert "@pytest.mark.asyncio\nasync def test_x" in source


def test_a_local_name_that_hides_the_import_stops_the_fix(project):
    text = """\
        import asyncio

        import pytest


        @pytest.mark.asyncio
        async def test_x(event_loop):
            asyncio = "shadowed"
            assert event_loop.time() and asyncio
        """
    source, result = fix(project, text)
    assert not result.fixed
    reason = "'asyncio' means something else in this module: import asyncio.get_running_loop by hand"
    assert result.skipped[0][1] == reason


def test_each_docs_page_says_how_its_code_is_fixed():
    pages = Path(__file__).resolve().parent.parent / "docs" / "rules"
    for code in sorted(ALL):
        text = (pages / f"{code}.md").read_text(encoding="utf-8")
        section = text.split("\n## Fix\n", 1)[1].split("\n## ", 1)[0].strip()
        safety = FIXES[code][0] if code in FIXES else None
        expected = {SAFE: "Safe fix (", UNSAFE: "Unsafe fix (", None: "No automatic fix"}[safety]
        assert section.startswith(expected), (code, section[:40])
        if safety == UNSAFE:
            assert "--unsafe-fixes" in section.split("\n", 1)[0], code


def test_the_pre_commit_hooks_run_commands_the_package_installs():
    """pre-commit installs this package into the hook's environment and runs `entry` with the
    staged files: flake8 (a dependency, the plugin registered) or the fix command."""
    text = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hooks = [dict(re.findall(r"^\s*-?\s*(\w+): (.+)$", item, re.M)) for item in text.split("\n- ")[1:]]
    assert [hook["id"] for hook in hooks] == ["flake8-async-testing", "flake8-async-testing-fix"]
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    for hook in hooks:
        assert (hook["language"], hook["types"], hook["require_serial"]) == ("python", "[python]", "true")
        program = hook["entry"].split()[0]
        assert program == "flake8" or f'\n{program} = "flake8_async_testing.cli:main"' in pyproject
    assert hooks[0]["entry"] == "flake8 --select ATS"


def test_an_import_a_fix_empties_goes_unless_something_still_mentions_it(project):
    source, _ = fix(project, """\
        from unittest import TestCase
        from unittest.mock import Mock  # the sync one


        class TestX(TestCase):
            async def test_a(self):
                pass
        """)
    assert source.startswith("from unittest import IsolatedAsyncioTestCase\nfrom unittest.mock import Mock  # the")
    source, _ = fix(project, """\
        from unittest import TestCase


        class TestX(TestCase):
            async def test_a(self):
                pass


        class Helper(TestCase):
            def test_b(self):
                pass
        """)
    assert source.startswith("from unittest import IsolatedAsyncioTestCase, TestCase\n")
    source, _ = fix(project, """\
        \"\"\"Checks of our TestCase classes.\"\"\"
        from unittest import TestCase


        class TestX(TestCase):
            async def test_a(self):
                pass
        """)
    assert "from unittest import IsolatedAsyncioTestCase, TestCase\n" in source  # the docstring names it
    source, _ = fix(project, """\
        from unittest import TestCase  # the base of our tests


        class TestX(TestCase):
            async def test_a(self):
                pass
        """)
    assert source.startswith("from unittest import IsolatedAsyncioTestCase, TestCase  # the base")
    source, _ = fix(project, """\
        import os, pytest


        @pytest.mark.asyncio
        def test_x():
            assert os.sep
        """)
    assert source.startswith("import os\n\n\ndef test_x():")


def test_paths_after_a_double_dash_are_flake8s_as_pre_commit_passes_them(suite):
    result = command("fix", "--diff", "--", "--extend-ignore=ATS201", "tests/test_api.py", cwd=suite)
    assert result.returncode == 1
    assert re.findall(r"^\+\+\+ (.+)$", result.stdout, re.M) == ["tests/test_api.py"]


@pytest.mark.parametrize(
    ("pytestmark", "expected"),
    [
        ('pytest.mark.usefixtures("db")', '[pytest.mark.usefixtures("db"), pytest.mark.asyncio]'),
        ('[pytest.mark.usefixtures("db"),]', '[pytest.mark.usefixtures("db"), pytest.mark.asyncio,]'),
        ("[]", "[pytest.mark.asyncio]"),
    ],
)
def test_ats201_joins_the_modules_pytestmark_where_no_sync_test_would_get_it(project, pytestmark, expected):
    text = f"""\
import pytest

pytestmark = {pytestmark}


@pytest.fixture
def db():
    return 1


async def test_a():
    pass


class TestB:
    async def test_b(self):
        pass
"""
    source, result = fix(project, text)
    assert fixed_codes(result) == ["ATS201", "ATS201"]
    assert source == text.replace(f"pytestmark = {pytestmark}", f"pytestmark = {expected}")


def test_ats201_near_miss_a_sync_test_keeps_the_pytestmark_as_it_is(project):
    text = 'import pytest\n\npytestmark = pytest.mark.usefixtures("db")\n\n\nasync def test_a():\n    pass\n\n\n' \
           "def test_b():\n    pass\n"
    source, result = fix(project, text)
    assert fixed_codes(result) == ["ATS201"]
    assert source == text.replace("\nasync def test_a", "\n@pytest.mark.asyncio\nasync def test_a")


def test_a_path_that_does_not_exist_is_an_error(tmp_path):
    result = command("fix", "tests/typo.py", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "flake8-async-testing: no such file or folder: tests/typo.py\n")


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8-sig", ""), ("latin-1", "# -*- coding: latin-1 -*-\n")],
)
def test_the_files_encoding_and_line_breaks_are_kept(project, monkeypatch, encoding, prefix):
    text = prefix + 'import pytest\r\n\r\n\r\n@pytest.mark.asyncio(scope="module")\r\n'
    text += 'async def test_é():\r\n    """Ça va."""\r\n'
    path = project.root / "test_x.py"
    path.write_bytes(text.encode(encoding))
    monkeypatch.chdir(project.root)
    assert run_fix(["test_x.py"], out=io.StringIO(), err=io.StringIO()) == 0
    assert path.read_bytes() == text.replace('(scope="module")', '(loop_scope="module")').encode(encoding)


def test_ats402_a_body_that_is_only_a_docstring_gets_the_binding_after_it(project):
    source, _ = fix(project, """\
        import asyncio

        import pytest


        @pytest.fixture
        def marker():
            return 1


        @pytest.mark.asyncio
        async def test_x(marker, event_loop):
            \"\"\"Uses event_loop.\"\"\"
        """)
    assert 'async def test_x(marker):\n    """Uses event_loop."""\n' in source
    source, _ = fix(project, """\
        import asyncio

        import pytest


        @pytest.mark.asyncio
        async def test_x(event_loop):
            \"\"\"Docs.\"\"\"
            del event_loop
        """)
    assert 'async def test_x():\n    """Docs."""\n    event_loop = asyncio.get_running_loop()\n    del' in source


def test_ats502_a_started_patcher(project):
    source, result = fix(project, COROUTINE + """\
from unittest.mock import Mock, patch


@pytest.fixture
def patched():
    return 1


@pytest.mark.asyncio
async def test_x(patched):
    patch("tests.test_x.fetch", new=Mock()).start()
""")
    assert fixed_codes(result) == ["ATS502"]
    assert 'patch("tests.test_x.fetch", new=AsyncMock()).start()' in source


def test_a_name_added_to_a_from_import_of_one_name_a_line_gets_its_own_line(project):
    source, _ = fix(project, """\
        from unittest import (
            TestCase,
            skip,
        )


        class TestX(TestCase):
            async def test_a(self):
                pass

        @skip
        def test_b():
            pass
        """)
    assert source.startswith("from unittest import (\n    IsolatedAsyncioTestCase,\n    skip,\n)\n")


def test_an_import_made_only_for_type_checking_is_not_used(project):
    text = """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            import pytest


        async def test_x():
            pass
        """
    source, result = fix(project, text)
    assert not result.fixed and "'pytest' means something else" in result.skipped[0][1]


def test_a_fixer_that_fails_leaves_its_spot_and_the_others_are_fixed(monkeypatch):
    def broken(file, report):
        raise IndexError("boom")

    monkeypatch.setitem(FIXES, "ATS503", (SAFE, broken))
    text = "async def f(m):\n    g()\n    m.assert_called()\n"
    result = fix_source(text, "x.py", [Report(2, 4, "ATS101", "a"), Report(3, 4, "ATS503", "b")], True)
    assert result.source == "async def f(m):\n    await g()\n    m.assert_called()\n"
    assert result.skipped[0][1] == "the fixer failed (IndexError: boom); please report this"
