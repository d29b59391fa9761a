"""The fix command: on a copy of the example suite in a subprocess (flake8 decides, the edits
are kept by a later flake8 run), and each fixer on small sources (one fix, one near miss), its
whole result held against the snapshot beside the input in tests/fix_cases (see fix_snapshots.py)."""

from __future__ import annotations

import ast
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fix_snapshots import CASES, FIXED_SUFFIX, REFRESH_FLAG, FixCases, outcome

from flake8_async_testing import __version__
from flake8_async_testing.apply_fixes import apply_edits, fix_source
from flake8_async_testing.cli import run_fix, unified_diff
from flake8_async_testing.fixers import FIXES, SAFE, UNSAFE
from flake8_async_testing.plugin import Plugin
from flake8_async_testing.rules import ALL_CODES
from flake8_async_testing.rules.mock_misuse import AWAITED_EQUIVALENTS, CALLED_ASSERTIONS
from flake8_async_testing.source_file import Edit, Report

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ALL = {code.code for code in ALL_CODES}
SAFE_FIXES = {code for code, (safety, _) in FIXES.items() if safety == SAFE}
UNSAFE_FIXES = {code for code, (safety, _) in FIXES.items() if safety == UNSAFE}
WITHOUT_A_FIX_IN_THE_EXAMPLES = {
    "ATS102", "ATS103", "ATS204", "ATS206", "ATS301", "ATS302", "ATS303", "ATS401",
    "ATS403", "ATS404", "ATS406", "ATS407", "ATS409", "ATS501", "ATS504",
}
"""The example suite's codes that have no automatic fix."""
SUMMARY = "flake8-async-testing: "
NOT_HERE = "1 could not be fixed here (see above)"


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


def changes(before: dict[str, str], after: dict[str, str]) -> str:
    """What changed between two states of a suite, as `fix --diff` shows it (run in the suite)."""
    assert set(before) == set(after)
    return "".join(unified_diff(f"./{name}", before[name], after[name]) for name in sorted(before))


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


def test_fix_leaves_only_codes_without_a_safe_fix_and_a_second_run_changes_nothing(suite, fix_cases):
    before = flake8_codes(suite)
    # ATS207, a sync test requesting the async fixture ATS202 is about, goes with ATS202's fix
    assert before == SAFE_FIXES | UNSAFE_FIXES | WITHOUT_A_FIX_IN_THE_EXAMPLES | {"ATS207"}
    original = snapshot(suite)

    first = command("fix", cwd=suite)
    left = "of the findings left, 5 have an unsafe fix (--unsafe-fixes), 15 have no automatic fix\n"
    assert (first.returncode, first.stderr) == (0, f"{SUMMARY}fixed 6 findings in 4 files; {left}")
    assert flake8_codes(suite) == UNSAFE_FIXES | WITHOUT_A_FIX_IN_THE_EXAMPLES  # unsafe fixes are not applied
    fixed = snapshot(suite)
    fix_cases.compare("example_suite.safe.diff", changes(original, fixed))
    for name, text in fixed.items():
        ast.parse(text, filename=name)

    second = command("fix", cwd=suite)
    assert (second.returncode, second.stderr) == (0, f"{SUMMARY}fixed 0 findings in 0 files; {left}")
    assert snapshot(suite) == fixed


def test_unsafe_fixes_leave_only_codes_without_any_fix_and_are_idempotent(suite, fix_cases):
    names = pyflakes_messages(suite)
    original = snapshot(suite)
    first = command("fix", "--unsafe-fixes", cwd=suite)
    left = "of the findings left, 15 have no automatic fix\n"
    assert (first.returncode, first.stderr) == (0, f"{SUMMARY}fixed 11 findings in 4 files; {left}")
    assert flake8_codes(suite) == WITHOUT_A_FIX_IN_THE_EXAMPLES
    fixed = snapshot(suite)
    fix_cases.compare("example_suite.unsafe.diff", changes(original, fixed))
    for name, text in fixed.items():
        ast.parse(text, filename=name)
    assert pyflakes_messages(suite) == names  # no import left unused, no name undefined
    second = command("fix", "--unsafe-fixes", cwd=suite)
    assert (second.returncode, second.stderr) == (0, f"{SUMMARY}fixed 0 findings in 0 files; {left}")
    assert snapshot(suite) == fixed


ANYIO = (
    "anyio or trio is at work here (or pytest-asyncio is switched off): add the mark of the framework that should run "
    "the test by hand"
)
NOT_FIXED_IN_THE_ANNOTATED_EXAMPLES = [
    *(f"./ATS201.py:{at}: ATS201 not fixed: {ANYIO}" for at in ("11:1", "16:5", "20:5", "24:9", "30:1", "35:1")),
    "./ATS205.py:27:5: ATS205 not fixed: 'Derived' is a TestCase through another class: change that class's base "
    "by hand",
    "./ATS402.py:68:26: ATS402 not fixed: no event_loop parameter at the reported position",
]
"""The annotated examples' findings whose fix is not safe where they are (each with its reason)."""


def test_every_annotated_example_file_compiles_after_its_fixes_and_nothing_is_left_for_a_second_run(tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(Path(__file__).resolve().parent / "examples", root)
    names = pyflakes_messages(root)
    first = command("fix", "--unsafe-fixes", "--", "--pytest-python-files=ATS*.py", cwd=root)
    left = "of the findings left, 8 could not be fixed here (see above), 174 have no automatic fix"
    assert first.returncode == 1  # the findings left with a reason
    assert first.stderr.splitlines() == [
        *NOT_FIXED_IN_THE_ANNOTATED_EXAMPLES,
        f"{SUMMARY}fixed 193 findings in 19 files; {left}",
    ]
    fixed = snapshot(root)
    for name, text in fixed.items():
        compile(text, name, "exec", dont_inherit=True)
    assert pyflakes_messages(root) == names
    second = command("fix", "--unsafe-fixes", "--", "--pytest-python-files=ATS*.py", cwd=root)
    assert second.returncode == 1
    assert second.stderr.splitlines() == [
        *NOT_FIXED_IN_THE_ANNOTATED_EXAMPLES,
        f"{SUMMARY}fixed 0 findings in 0 files; {left}",
    ]
    assert snapshot(root) == fixed


def test_noqa_lines_stay_untouched(suite):
    users = suite / "tests" / "test_users.py"
    text = users.read_text(encoding="utf-8")
    for line in ("async def test_email_is_optional(session):  # ", "    deactivate_user(session, alice.id)  # "):
        assert text.count(line + "ATS") == 1
        text = text.replace(line + "ATS", line + "noqa: ATS")
    users.write_text(text, encoding="utf-8")
    result = command("fix", "--unsafe-fixes", cwd=suite)
    assert result.returncode == 0, result.stderr
    other = '    assert get_user_by_name(session, "bob")  # ATS101\n'
    assert text.count(other) == 1
    assert users.read_text(encoding="utf-8") == text.replace(other, other.replace("assert ", "assert await "))


def test_diff_writes_nothing_and_shows_what_fix_writes(suite, tmp_path, fix_cases):
    before = snapshot(suite)
    shown = command("fix", "--diff", cwd=suite)
    left = "of the findings left, 5 have an unsafe fix (--unsafe-fixes), 16 have no automatic fix\n"
    assert (shown.returncode, shown.stderr) == (1, f"{SUMMARY}would fix 6 findings in 4 files; {left}")
    assert snapshot(suite) == before
    fix_cases.compare("example_suite.safe.diff", shown.stdout)  # what `fix` writes, as the test above holds

    command("fix", cwd=suite)
    assert command("fix", "--diff", cwd=suite).stdout == ""  # nothing left to show once fixed
    copy = tmp_path / "again"
    shutil.copytree(EXAMPLES, copy)
    assert command("fix", "--diff", cwd=copy).stdout == shown.stdout


def test_diff_exits_zero_when_there_is_nothing_to_change(tmp_path):
    (tmp_path / "test_ok.py").write_text("import pytest\n\n\n@pytest.mark.asyncio\nasync def test_ok():\n    pass\n")
    result = command("fix", "--diff", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", f"{SUMMARY}would fix 0 findings in 0 files\n")


def test_the_flake8_configuration_decides_what_is_fixed(suite, fix_cases):
    (suite / "setup.cfg").write_text(
        "[flake8]\nextend-ignore = ATS203\nper-file-ignores =\n    tests/test_api.py: ATS408\n"
        "extend-exclude = tests/test_users.py\n",
        encoding="utf-8",
    )
    before = snapshot(suite)
    assert command("fix", cwd=suite).returncode == 0
    # no ATS201 fix in the excluded test_users.py, no ATS408 fix in test_api.py, no ATS203 fix anywhere
    fix_cases.compare("example_suite.configured.diff", changes(before, snapshot(suite)))


def test_the_plugins_options_decide_too(suite, fix_cases):
    (suite / "setup.cfg").write_text("[flake8]\nasyncio-mode = auto\n", encoding="utf-8")
    before = snapshot(suite)
    assert command("fix", cwd=suite).returncode == 0
    fix_cases.compare("example_suite.auto_mode.diff", changes(before, snapshot(suite)))  # no ATS201 or ATS202 fix


def test_options_after_a_double_dash_go_to_flake8(suite, fix_cases):
    result = command("fix", "--diff", "--", "--extend-ignore=ATS202,ATS201", cwd=suite)
    assert result.returncode == 1
    fix_cases.compare("example_suite.without_ats201_ats202.diff", result.stdout)


def test_the_console_script_is_installed():
    script = Path(sys.executable).with_name("flake8-async-testing")
    if not script.exists():
        pytest.skip("the package is not installed with its scripts in this environment")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"flake8-async-testing {__version__}\n")


def test_a_file_whose_fix_would_not_compile_is_left_untouched(project, monkeypatch):
    path = project.write("test_x.py", "async def test_x():\n    pass\n")
    monkeypatch.setitem(FIXES, "ATS201", (SAFE, lambda file, report: [Edit(0, 0, "def (")]))
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.chdir(project.root)
    assert run_fix(["test_x.py"], out=out, err=err) == 1
    assert path.read_text() == "async def test_x():\n    pass\n"
    untouched, summary = err.getvalue().splitlines()
    # the compiler's message (in the parentheses) changes with the Python version
    compile_failed = r"test_x\.py: left untouched: the fixed code would not compile \(.+\); please report this"
    assert re.fullmatch(compile_failed, untouched)
    assert summary == f"{SUMMARY}fixed 0 findings in 0 files; of the findings left, {NOT_HERE}"
    assert out.getvalue() == ""


def test_a_finding_that_cannot_be_fixed_here_gives_a_message_and_exit_status_one(project, monkeypatch):
    text = "import pytest\n\n\n@pytest.mark.asyncio(scope='module', loop_scope='module')\n"
    text += "async def test_x():\n    pass\n"
    path = project.write("test_x.py", text)
    monkeypatch.chdir(project.root)
    out, err = io.StringIO(), io.StringIO()
    assert run_fix(["."], out=out, err=err) == 1
    assert err.getvalue() == (
        "./test_x.py:4:2: ATS408 not fixed: the mark has both scope= and loop_scope=: remove scope= by hand\n"
        f"{SUMMARY}fixed 0 findings in 0 files; of the findings left, {NOT_HERE}\n"
    )
    assert path.read_text() == text


def test_a_fix_that_makes_another_possible_is_followed_in_the_same_run(fix_cases, monkeypatch):
    # the Mock becomes an AsyncMock; then its assert_called_once is reported (ATS503) and fixed
    name = "two_rounds_async_mock_then_its_assertion"
    path = fix_cases.write(name)
    monkeypatch.chdir(fix_cases.root)
    err = io.StringIO()
    assert run_fix(["tests"], unsafe=True, out=io.StringIO(), err=err) == 0, err.getvalue()
    fix_cases.compare(f"{name}.py{FIXED_SUFFIX}", path.read_text(encoding="utf-8"))
    assert err.getvalue() == f"{SUMMARY}fixed 2 findings in 1 file\n"


def test_paths_after_a_double_dash_are_flake8s_as_pre_commit_passes_them(suite):
    result = command("fix", "--diff", "--", "--extend-ignore=ATS201", "tests/test_api.py", cwd=suite)
    assert result.returncode == 1
    assert re.findall(r"^\+\+\+ (.+)$", result.stdout, re.M) == ["tests/test_api.py"]


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


# -- the edits of one file together ----------------------------------------------------------


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


def test_a_fixer_that_fails_leaves_its_spot_and_the_others_are_fixed(monkeypatch):
    def broken(file, report):
        raise IndexError("boom")

    monkeypatch.setitem(FIXES, "ATS503", (SAFE, broken))
    text = "async def f(m):\n    g()\n    m.assert_called()\n"
    result = fix_source(text, "x.py", [Report(2, 4, "ATS101", "a"), Report(3, 4, "ATS503", "b")], True)
    assert result.source == "async def f(m):\n    await g()\n    m.assert_called()\n"
    assert result.skipped[0][1] == "the fixer failed (IndexError: boom); please report this"


# -- the snapshot cases --------------------------------------------------------------------------


def test_every_fix_case_has_its_snapshot_and_a_test_that_names_it():
    inputs = {path.name for path in CASES.glob("*.py")}
    snapshots = {path.name.removesuffix(FIXED_SUFFIX) for path in CASES.glob(f"*.py{FIXED_SUFFIX}")}
    assert inputs == snapshots, (inputs ^ snapshots)
    tests = "".join(path.read_text(encoding="utf-8") for path in Path(__file__).parent.glob("test_fix*.py"))
    diffs = {path.name for path in CASES.glob("*.diff")}
    names = {path.name.removesuffix(".py") for path in CASES.glob("*.py")} | diffs
    assert {name for name in names if f'"{name}"' not in tests} == set()
    assert {path.name for path in CASES.iterdir()} == inputs | {f"{name}{FIXED_SUFFIX}" for name in inputs} | diffs


def test_a_case_whose_fix_differs_from_its_snapshot_fails_and_shows_the_difference(tmp_path):
    with pytest.raises(pytest.fail.Exception) as failed:
        FixCases(tmp_path, refresh=False).compare(f"ats408_scope_in_every_form.py{FIXED_SUFFIX}", "other\n")
    assert "differs from tests/fix_cases/ats408_scope_in_every_form.py.fixed" in str(failed.value)
    assert "\n+other\n" in str(failed.value)
    with pytest.raises(pytest.fail.Exception) as failed:
        FixCases(tmp_path, refresh=False).compare("no_such_case.py.fixed", "text\n")
    assert str(failed.value).startswith(f"tests/fix_cases/no_such_case.py.fixed is missing: `pytest {REFRESH_FLAG}`")


# -- each fixer on a small source: a fix, and a near miss that the fix leaves as it is ---------


def test_ats408_renames_scope_on_marks_in_every_form(fix_cases):
    result = fix_cases.checked("ats408_scope_in_every_form")
    assert outcome(result) == {"fixed": ["ATS408", "ATS408"]}


def test_ats408_near_miss_both_keywords(fix_cases):
    result = fix_cases.checked("ats408_near_miss_both_keywords", near_miss=True)
    reason = "the mark has both scope= and loop_scope=: remove scope= by hand"
    assert outcome(result) == {"skipped": [("ATS408", reason)]}


def test_ats405_in_a_coroutine(fix_cases):
    assert outcome(fix_cases.checked("ats405_in_a_coroutine")) == {"fixed": ["ATS405"]}


def test_ats405_imported_name_gets_its_neighbour(fix_cases):
    # get_running_loop joins the import, and get_event_loop, no longer used, leaves it
    assert outcome(fix_cases.checked("ats405_imported_name")) == {"fixed": ["ATS405"]}


def test_ats405_near_miss_sync_code(fix_cases):
    assert outcome(fix_cases.checked("ats405_near_miss_sync_code", near_miss=True)) == {"no_fix": ["ATS405"]}


def test_ats203_removes_the_mark_and_keeps_a_comment(fix_cases):
    result = fix_cases.checked("ats203_mark_removed_comment_kept")
    assert outcome(result) == {"fixed": ["ATS203", "ATS203"]}


def test_ats203_a_def_sharing_its_line_with_its_body(fix_cases):
    assert outcome(fix_cases.checked("ats203_def_sharing_its_line")) == {"fixed": ["ATS203"]}


def test_ats203_a_mark_through_a_name_is_reported_and_removed_at_the_name(fix_cases):
    assert outcome(fix_cases.checked("ats203_mark_through_a_name")) == {"fixed": ["ATS203"]}


def test_ats202_keeps_the_arguments_and_adds_the_import(fix_cases):
    ini = "[pytest]\nasyncio_default_fixture_loop_scope = module\n"
    result = fix_cases.checked("ats202_arguments_kept_import_added", ini=ini)
    assert outcome(result) == {"fixed": ["ATS202", "ATS202"]}


def test_ats202_uses_the_modules_spelling(fix_cases):
    assert outcome(fix_cases.checked("ats202_modules_spelling")) == {"fixed": ["ATS202"]}


def test_ats202_near_miss_a_sync_fixture(fix_cases):
    assert outcome(fix_cases.checked("ats202_near_miss_sync_fixture", near_miss=True)) == {}


@pytest.mark.parametrize(
    "case",
    [
        "ats201_spelling_import_pytest",
        "ats201_spelling_import_pytest_as_pt",
        "ats201_spelling_from_pytest_import_mark",
        "ats201_spelling_no_pytest_import",
    ],
)
def test_ats201_adds_the_mark_in_the_modules_spelling(fix_cases, case):
    assert outcome(fix_cases.checked(case)) == {"fixed": ["ATS201"]}


def test_ats201_near_miss_where_anyio_is_at_work(fix_cases):
    result = fix_cases.checked("ats201_near_miss_anyio", near_miss=True)
    assert outcome(result) == {"skipped": [("ATS201", ANYIO)]}


def test_ats205_changes_the_base_class(fix_cases):
    assert outcome(fix_cases.checked("ats205_base_class")) == {"fixed": ["ATS205", "ATS205"]}


def test_ats205_imported_name(fix_cases):
    assert outcome(fix_cases.checked("ats205_imported_name")) == {"fixed": ["ATS205"]}


def test_ats205_near_miss_through_a_base_of_the_module(fix_cases):
    result = fix_cases.checked("ats205_near_miss_through_a_base", near_miss=True)
    reason = "'TestX' is a TestCase through another class: change that class's base by hand"
    assert outcome(result) == {"skipped": [("ATS205", reason)]}


def test_ats101_adds_await(fix_cases):
    assert outcome(fix_cases.checked("ats101_await_added")) == {"fixed": ["ATS101"] * 4}


def test_ats101_near_miss_without_unsafe_fixes(fix_cases):
    result = fix_cases.checked("ats101_near_miss_without_unsafe_fixes", unsafe=False, near_miss=True)
    assert outcome(result) == {"unsafe_only": ["ATS101"]}


def test_ats101_a_call_in_a_primary_gets_parentheses_and_one_in_a_lambda_is_skipped(fix_cases):
    result = fix_cases.reported("ats101_in_a_primary_and_a_lambda", ("ATS101", "g()"), ("ATS101", "g()", 1))
    reason = "the call is in a lambda, generator expression or nested def, where 'await' cannot go"
    assert outcome(result) == {"fixed": ["ATS101"], "skipped": [("ATS101", reason)]}


def test_ats503_renames_each_reported_assertion(fix_cases):
    assert set(AWAITED_EQUIVALENTS) == CALLED_ASSERTIONS
    lines = fix_cases.input("ats503_each_assertion").splitlines()[1:]
    assert [line.strip() for line in lines] == [f"m.child.{called}(1)" for called in AWAITED_EQUIVALENTS]
    findings = [("ATS503", "m.child", nth) for nth in range(len(lines))]
    result = fix_cases.reported("ats503_each_assertion", *findings)
    assert outcome(result) == {"fixed": ["ATS503"] * len(AWAITED_EQUIVALENTS)}


def test_ats503_renames_each_reported_call_record(fix_cases):
    # `sent.other.called` is not reported: a check that it was not called
    assert outcome(fix_cases.checked("ats503_call_records")) == {"fixed": ["ATS503"] * 4}


def test_ats503_from_the_checker_and_a_near_miss(fix_cases):
    # the AsyncMock's assertion is fixed; the plain Mock's is not reported
    assert outcome(fix_cases.checked("ats503_async_mock_and_sync_mock")) == {"fixed": ["ATS503"]}


def test_ats502_makes_the_mock_async_from_the_same_module(fix_cases):
    assert outcome(fix_cases.checked("ats502_mock_from_the_same_module")) == {"fixed": ["ATS502"]}


def test_ats502_new_callable_keeps_the_modules_spelling(fix_cases):
    assert outcome(fix_cases.checked("ats502_new_callable")) == {"fixed": ["ATS502"]}


def test_ats502_reads_a_mock_module_imported_in_the_test_as_the_checker_does(fix_cases):
    """The fix command resolves names with the checker's resolver: `m.MagicMock` after an
    import of `unittest.mock as m` in the test is the mock class there too."""
    assert outcome(fix_cases.checked("ats502_mock_module_imported_in_the_test")) == {"fixed": ["ATS502"]}


def test_ats502_near_miss_a_mock_made_elsewhere(fix_cases):
    result = fix_cases.checked("ats502_near_miss_mock_made_elsewhere", near_miss=True)
    reason = "the sync mock 'SHARED' is made elsewhere: make it an AsyncMock where it is created"
    assert outcome(result) == {"skipped": [("ATS502", reason)]}


def test_ats502_a_started_patcher(fix_cases):
    assert outcome(fix_cases.checked("ats502_started_patcher")) == {"fixed": ["ATS502"]}


def test_ats402_drops_the_parameter_and_binds_the_name(fix_cases):
    assert outcome(fix_cases.checked("ats402_parameter_dropped_name_bound")) == {"fixed": ["ATS402", "ATS402"]}


def test_ats402_near_miss_a_sync_requester(fix_cases):
    assert outcome(fix_cases.checked("ats402_near_miss_sync_requester", near_miss=True)) == {"no_fix": ["ATS402"]}


@pytest.mark.parametrize("case", ["ats402_docstring_only_body", "ats402_docstring_and_a_use"])
def test_ats402_a_body_that_is_only_a_docstring_gets_the_binding_after_it(fix_cases, case):
    assert outcome(fix_cases.checked(case)) == {"fixed": ["ATS402"]}


def test_a_stored_mark_with_arguments_is_not_the_modules_spelling_of_the_mark(fix_cases):
    assert outcome(fix_cases.checked("ats201_stored_mark_with_arguments")) == {"fixed": ["ATS201"]}


def test_a_local_name_that_hides_the_import_stops_the_fix(fix_cases):
    result = fix_cases.checked("ats402_local_name_hides_the_import", near_miss=True)
    reason = "'asyncio' means something else in this module: import asyncio.get_running_loop by hand"
    assert outcome(result) == {"skipped": [("ATS402", reason)]}


@pytest.mark.parametrize(
    "case, code",
    [
        ("emptied_import_goes", "ATS205"),
        ("emptied_import_still_used_stays", "ATS205"),
        ("emptied_import_named_in_a_docstring_stays", "ATS205"),  # the docstring names it
        ("emptied_import_with_a_comment_stays", "ATS205"),
        ("emptied_import_one_of_two_names_goes", "ATS203"),
    ],
)
def test_an_import_a_fix_empties_goes_unless_something_still_mentions_it(fix_cases, case, code):
    assert outcome(fix_cases.checked(case)) == {"fixed": [code]}


@pytest.mark.parametrize(
    "case",
    ["ats201_pytestmark_single_mark", "ats201_pytestmark_list_trailing_comma", "ats201_pytestmark_empty_list"],
)
def test_ats201_joins_the_modules_pytestmark_where_no_sync_test_would_get_it(fix_cases, case):
    assert outcome(fix_cases.checked(case)) == {"fixed": ["ATS201", "ATS201"]}


def test_ats201_a_sync_test_keeps_the_pytestmark_as_it_is_and_the_test_gets_a_decorator(fix_cases):
    assert outcome(fix_cases.checked("ats201_sync_test_keeps_the_pytestmark")) == {"fixed": ["ATS201"]}


def test_a_name_added_to_a_from_import_of_one_name_a_line_gets_its_own_line(fix_cases):
    assert outcome(fix_cases.checked("ats205_from_import_one_name_a_line")) == {"fixed": ["ATS205"]}


def test_an_import_made_only_for_type_checking_is_not_used(fix_cases):
    result = fix_cases.checked("ats201_type_checking_import", near_miss=True)
    reason = "'pytest' means something else in this module: import pytest.mark.asyncio by hand"
    assert outcome(result) == {"skipped": [("ATS201", reason)]}
