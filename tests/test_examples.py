"""Every annotated example file gives exactly the findings its comments expect."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from annotations import example_files, expected_findings, modes_of

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


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_example_file(path, mode):
    found = sorted((line, message.split()[0]) for line, _, message in findings_for(path, mode))
    assert found == expected_findings(path.read_text(encoding="utf-8"), mode)


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
