"""The fix command's entry point, in process (tests/test_fix.py runs it in subprocesses too)."""

from __future__ import annotations

import pytest

from flake8_async_testing.cli import main, unified_diff

UNMARKED = "import pytest\n\n\nasync def test_x():\n    pass\n"
MARKED = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n"


@pytest.fixture
def suite(project, monkeypatch):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\n")
    path = project.write("test_x.py", UNMARKED)
    monkeypatch.chdir(project.root)
    return path


def test_fix_writes_the_fix_and_a_second_run_finds_nothing(suite, capsys):
    assert main(["fix", "test_x.py"]) == 0
    assert suite.read_text() == MARKED
    assert capsys.readouterr() == ("", "flake8-async-testing: fixed 1 finding in 1 file\n")
    assert main(["fix", "test_x.py"]) == 0
    assert suite.read_text() == MARKED
    assert capsys.readouterr() == ("", "flake8-async-testing: fixed 0 findings in 0 files\n")


def test_diff_shows_the_fix_and_writes_nothing(suite, capsys):
    assert main(["fix", "--diff", "test_x.py"]) == 1
    assert capsys.readouterr() == (
        "--- test_x.py\n+++ test_x.py\n@@ -1,5 +1,6 @@\n import pytest\n \n \n+@pytest.mark.asyncio\n"
        " async def test_x():\n     pass\n",
        "flake8-async-testing: would fix 1 finding in 1 file\n",
    )
    assert suite.read_text() == UNMARKED


def test_flake8_arguments_after_the_double_dash(suite, capsys):
    assert main(["fix", "--", "--extend-ignore", "ATS201", "test_x.py"]) == 0
    assert suite.read_text() == UNMARKED
    assert capsys.readouterr() == ("", "flake8-async-testing: fixed 0 findings in 0 files\n")


def test_a_missing_path_is_an_error(suite, capsys):
    assert main(["fix", "missing.py"]) == 2
    assert capsys.readouterr() == ("", "flake8-async-testing: no such file or folder: missing.py\n")


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2


def test_a_diff_says_when_the_last_line_has_no_newline():
    expected = "--- x.py\n+++ x.py\n@@ -1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n"
    assert unified_diff("x.py", "a\n", "a\nb") == expected
