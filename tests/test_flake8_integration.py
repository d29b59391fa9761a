"""Real flake8 runs in a subprocess: registration, options, config files, noqa, stdin, -j."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from annotations import example_files, expectations, known_wrong, modes_of
from conftest import UNMARKED_ASYNC_TEST

from flake8_async_testing import __version__


def flake8(*args, cwd, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def codes(result):
    return re.findall(r"\b(ATS\d{3})\b", result.stdout)


def test_version_lists_the_plugin(tmp_path):
    result = flake8("--version", cwd=tmp_path)
    assert f"flake8-async-testing: {__version__}" in result.stdout


def test_finding_format_and_exit_code(project):
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    result = flake8("test_x.py", cwd=project.root)
    assert result.returncode == 1
    assert result.stdout.startswith("test_x.py:1:1: ATS201 async test 'test_unmarked'")


def test_noqa_silences_only_its_code(project):
    project.write("test_a.py", "async def test_a():  # noqa: ATS201\n    pass\n")
    project.write("test_b.py", "async def test_b():  # noqa: ATS202\n    pass\n")
    result = flake8("--select", "ATS", "test_a.py", "test_b.py", cwd=project.root)
    assert result.stdout.splitlines() == [line for line in result.stdout.splitlines() if line.startswith("test_b.py")]
    assert codes(result) == ["ATS201"]


@pytest.mark.parametrize("config_name", ["setup.cfg", "tox.ini", ".flake8"])
def test_ignore_in_config_file(project, config_name):
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    project.write(config_name, "[flake8]\nignore = ATS201\n")
    assert codes(flake8("test_x.py", cwd=project.root)) == []


def test_extend_select_with_a_narrow_select(project):
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    project.write(".flake8", "[flake8]\nselect = E\n")
    assert codes(flake8("test_x.py", cwd=project.root)) == []
    project.write(".flake8", "[flake8]\nselect = E\nextend-select = ATS2\n")
    assert codes(flake8("test_x.py", cwd=project.root)) == ["ATS201"]


def test_per_file_ignores(project):
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    project.write(".flake8", "[flake8]\nper-file-ignores =\n    test_*.py: ATS201\n")
    assert codes(flake8("test_x.py", cwd=project.root)) == []


def test_mode_option_overrides_the_pytest_config(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\n")
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert codes(flake8("test_x.py", cwd=project.root)) == ["ATS201"]
    assert codes(flake8("--asyncio-mode", "auto", "test_x.py", cwd=project.root)) == []
    project.write(".flake8", "[flake8]\nasyncio-mode = auto\n")
    assert codes(flake8("test_x.py", cwd=project.root)) == []
    project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    project.write(".flake8", "[flake8]\nasyncio_mode = strict\n")
    assert codes(flake8("test_x.py", cwd=project.root)) == ["ATS201"]


def test_bad_option_value_warns_once_and_keeps_going(project):
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    project.write("test_y.py", UNMARKED_ASYNC_TEST)
    project.write(".flake8", "[flake8]\nasyncio-mode = sideways\n")
    result = flake8("-j", "1", "test_x.py", "test_y.py", cwd=project.root)
    assert codes(result) == ["ATS201", "ATS201"]
    assert result.stderr.count("asyncio-mode = 'sideways'") == 1


def test_stdin_uses_the_config_of_the_display_name(project):
    project.write("auto/pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    project.write("strict/pytest.ini", "[pytest]\n")
    for folder, expected in (("auto", []), ("strict", ["ATS201"])):
        result = flake8("-", "--stdin-display-name", f"{folder}/test_x.py", cwd=project.root, stdin=UNMARKED_ASYNC_TEST)
        assert codes(result) == expected, result.stderr
        assert not expected or result.stdout.startswith(f"{folder}/test_x.py:1:1: ATS201")


def test_parallel_jobs(project):
    project.write("pytest.ini", "[pytest]\n")
    for index in range(8):
        project.write(f"tests/test_{index}.py", UNMARKED_ASYNC_TEST)
    result = flake8("-j", "2", "tests", cwd=project.root)
    assert codes(result) == ["ATS201"] * 8, result.stderr


@pytest.fixture
def examples_copy(tmp_path):
    target = tmp_path / "examples"
    shutil.copytree(example_files()[0].parent, target)
    return target


def _order(row):
    name, line, column, code = row
    return name, line, column or 0, code


def _known_wrong_lines(paths):
    return {(path.name, line) for path in paths for line in known_wrong(path.read_text(encoding="utf-8"))}


def _expected_flake8_lines(paths):
    """(file, line, column as flake8 prints it, code); no column on a line whose expectation is
    known to be wrong (the plugin may put it elsewhere: test_examples.py holds that)."""
    unsure = _known_wrong_lines(paths)
    expected = []
    for path in paths:
        for e in expectations(path.read_text(encoding="utf-8"), "strict"):
            expected.append((path.name, e.line, None if (path.name, e.line) in unsure else e.column, e.code))
    return sorted(expected, key=_order)


def test_flake8_reports_every_example_expectation(examples_copy):
    paths = sorted(path for path in examples_copy.glob("ATS*.py") if "strict" in modes_of(path.read_text("utf-8")))
    names = [path.name for path in paths]
    result = flake8("--select", "ATS", "--pytest-python-files", "ATS*.py", *names, cwd=examples_copy)
    unsure = _known_wrong_lines(paths)
    found = sorted(
        (
            (name, int(line), None if (name, int(line)) in unsure else int(column), code)
            for name, line, column, code in re.findall(r"^(?:\./)?(\S+?):(\d+):(\d+): (ATS\d{3})", result.stdout, re.M)
        ),
        key=_order,
    )
    assert found == _expected_flake8_lines(paths)


def test_noqa_on_every_line_silences_every_example(examples_copy):
    for path in examples_copy.glob("ATS*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(_with_noqa(line) for line in lines) + "\n", encoding="utf-8")
    result = flake8("--select", "ATS", "--pytest-python-files", "ATS*.py", ".", cwd=examples_copy)
    assert result.stdout == ""
    assert result.returncode == 0, result.stderr


def _with_noqa(line):
    if not line.strip() or line.rstrip().endswith(("\\", ",", "(")) and "#" not in line:
        return line
    comment = line.find("#")
    if comment >= 0:
        return line[:comment] + "# noqa: ATS " + line[comment:]
    return line + "  # noqa: ATS"
