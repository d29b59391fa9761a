"""What the fix makes of a file, compared to the letter with the text stored for it.

A fixer case is an input, tests/fix_cases/NAME.py, and the whole text the fix makes of it,
tests/fix_cases/NAME.py.fixed; it runs as tests/test_x.py of a small project with a pytest.ini.
A near miss's snapshot is its input: the fix changes nothing there, and the helpers fail the test
if it does. The example suite's fixed states are stored as diffs, tests/fix_cases/*.diff.

`pytest --refresh-fix-snapshots` (registered in tests/conftest.py) writes every snapshot that
is missing or differs from what the fix makes now, and the tests pass; read the diff of the
snapshots before committing it. Without the flag a missing or different snapshot fails its test,
with the difference.
"""

from __future__ import annotations

import ast
import difflib
from pathlib import Path
from typing import Union

import pytest

from flake8_async_testing.apply_fixes import FileFix, fix_source
from flake8_async_testing.plugin import check
from flake8_async_testing.source_file import Report

CASES = Path(__file__).resolve().parent / "fix_cases"
REFRESH_FLAG = "--refresh-fix-snapshots"
FIXED_SUFFIX = ".fixed"
Finding = Union[tuple[str, str], tuple[str, str, int], tuple[str, str, int, str]]
"""A finding as a test gives it: (code, needle[, nth[, message]]), at the nth `needle` of the text."""


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The line (1-based) and column of the nth occurrence of `needle` (ASCII lines)."""
    position = -1
    for _ in range(nth + 1):
        position = text.index(needle, position + 1)
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1)


def outcome(result: FileFix) -> dict[str, object]:
    """What the command reports for the file, by kind and without positions: the codes fixed,
    those skipped with their reason, those with only an unsafe fix, those with none, and why the
    whole file was left untouched. Kinds with nothing in them are left out."""
    kinds: dict[str, object] = {
        "fixed": [report.code for report in result.fixed],
        "skipped": [(report.code, reason) for report, reason in result.skipped],
        "unsafe_only": [report.code for report in result.unsafe_only],
        "no_fix": [report.code for report in result.no_fix],
        "error": result.error,
    }
    return {kind: found for kind, found in kinds.items() if found}


def read_exactly(path: Path) -> str:
    """A file's text with its line breaks as they are."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def write_exactly(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


class FixCases:
    """Runs the fix on a case, in a project under `root`, and holds the result against the
    case's snapshot (written instead where `refresh` is set)."""

    def __init__(self, root: Path, refresh: bool) -> None:
        self.root = root
        self.refresh = refresh

    def input(self, name: str) -> str:
        return read_exactly(CASES / f"{name}.py")

    def write(self, name: str, ini: str = "[pytest]\n") -> Path:
        """The case as tests/test_x.py of the project, beside a pytest.ini."""
        write_exactly(self.root / "pytest.ini", ini)
        path = self.root / "tests" / "test_x.py"
        write_exactly(path, self.input(name))
        return path

    def checked(self, name: str, *, unsafe: bool = True, ini: str = "[pytest]\n", near_miss: bool = False) -> FileFix:
        """Fix what the checker finds in the case, as flake8 with no configuration reports it."""
        path, text = self.write(name, ini), self.input(name)
        found = check(ast.parse(text), str(path))
        reports = [Report(line, col, message[:6], message[7:]) for line, col, message in found]
        return self._fix(name, text, path, reports, unsafe, near_miss)

    def reported(self, name: str, *findings: Finding, unsafe: bool = True, near_miss: bool = False) -> FileFix:
        """Fix the findings as given: each at the nth occurrence of its needle in the case, with
        its message ("..." when none is given)."""
        path, text = self.write(name), self.input(name)
        reports = []
        for code, needle, *rest in findings:
            nth = int(rest[0]) if rest else 0
            message = str(rest[1]) if len(rest) > 1 else "..."
            reports.append(Report(*at(text, needle, nth), code, message))
        return self._fix(name, text, path, reports, unsafe, near_miss)

    def _fix(self, name: str, text: str, path: Path, reports: list[Report], unsafe: bool, near_miss: bool) -> FileFix:
        result = fix_source(text, str(path), reports, unsafe)
        if near_miss and result.source != text:
            changes = _diff(text, result.source, f"{name}.py", "fixed")
            pytest.fail(f"tests/fix_cases/{name}.py is a near miss, yet the fix changed it:\n{changes}", pytrace=False)
        self.compare(f"{name}.py{FIXED_SUFFIX}", result.source)
        return result

    def compare(self, snapshot: str, text: str) -> None:
        """Hold a text against the snapshot tests/fix_cases/SNAPSHOT, or write it there with the flag."""
        path = CASES / snapshot
        stored = read_exactly(path) if path.exists() else None
        if text == stored:
            return
        if self.refresh:
            write_exactly(path, text)
        elif stored is None:
            pytest.fail(
                f"tests/fix_cases/{snapshot} is missing: `pytest {REFRESH_FLAG}` writes it from what the fix makes "
                "now; read it before committing it",
                pytrace=False,
            )
        else:
            pytest.fail(
                f"what the fix makes differs from tests/fix_cases/{snapshot} (`pytest {REFRESH_FLAG}` stores the new "
                f"text if it is right):\n{_diff(stored, text, snapshot, 'made now')}",
                pytrace=False,
            )


def _diff(before: str, after: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(before.splitlines(True), after.splitlines(True), old, new)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
