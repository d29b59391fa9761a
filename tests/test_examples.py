"""Every annotated example file gives exactly the findings its comments expect."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from annotations import (
    ExpectationError,
    example_files,
    expectations,
    expected_findings,
    known_wrong,
    mismatches,
    modes_of,
)

from flake8_async_testing.plugin import check
from flake8_async_testing.rules import ALL_CODES
from flake8_async_testing.settings import Settings

CASES = [
    pytest.param(path, mode, id=f"{path.stem}-{mode}")
    for path in example_files()
    for mode in modes_of(path.read_text(encoding="utf-8"))
]


def findings_for(path, mode):
    source = path.read_text(encoding="utf-8")
    settings = Settings((("asyncio_mode", mode), ("python_files", ("ATS*.py",))))
    return check(ast.parse(source), str(path), settings)


def _listing(path, mode, problems):
    return f"{path.name} in asyncio {mode} mode:\n" + "\n".join(f"  line {line}: {text}" for line, text in problems)


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_example_file(path, mode):
    """Every finding at the line, column and with the arguments its expectation gives, and none
    other (see tests/annotations.py for the syntax)."""
    source = path.read_text(encoding="utf-8")
    try:
        expected = expectations(source, mode)
    except ExpectationError as error:
        pytest.fail(f"{path.name}: {error}", pytrace=False)
    problems = mismatches(expected, findings_for(path, mode))
    remarks = known_wrong(source)
    unexplained = [(line, text) for line, text in problems if line not in remarks]
    if unexplained:
        pytest.fail(_listing(path, mode, unexplained), pytrace=False)
    expected_lines = {e.line for e in expected}
    now_right = [line for line in remarks if line in expected_lines and all(line != other for other, _ in problems)]
    assert not now_right, (
        f"{path.name} in asyncio {mode} mode: the plugin now reports what line(s) {now_right} expect;"
        " drop their '# known wrong' remark"
    )
    if problems:
        pytest.xfail("known wrong in the plugin: " + _listing(path, mode, problems))


def test_every_example_file_expects_something_in_some_mode():
    """A file of negatives only is fine, but every code must have a positive somewhere."""
    expected_codes = {
        code
        for path in example_files()
        for mode in modes_of(path.read_text(encoding="utf-8"))
        for _, code in expected_findings(path.read_text(encoding="utf-8"), mode)
    }
    stems = {path.stem.split("_")[0] for path in example_files()}
    assert stems <= expected_codes


def test_whole_test_findings_are_reported_at_the_def_column():
    path = next(p for p in example_files() if p.name == "ATS201.py")
    columns = {line: column for line, column, _ in findings_for(path, "strict")}
    source_lines = path.read_text(encoding="utf-8").splitlines()
    for line, column in columns.items():
        assert source_lines[line - 1][column:].startswith("async def")


BUNDLED_SUITE = Path(__file__).resolve().parent.parent / "examples"
MARKED_CODE = re.compile(r"#\s*(ATS\d{3})\b")


def test_bundled_example_suite_shows_exactly_its_marked_findings():
    """The README's first command runs flake8 on examples/: what it shows is what is marked
    there (for the codes implemented so far)."""
    implemented = {code.code for code in ALL_CODES}
    expected, found = [], []
    for path in sorted(BUNDLED_SUITE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for number, line in enumerate(source.splitlines(), start=1):
            expected += [(path.name, number, code) for code in MARKED_CODE.findall(line) if code in implemented]
        found += [(path.name, line, message[:6]) for line, _, message in check(ast.parse(source), str(path))]
    assert sorted(found) == sorted(expected)
    assert found, "the example suite should show findings"
