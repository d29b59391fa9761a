"""Shared helpers: small throwaway projects on disk, the checker's caches reset per test, and
the fix command's snapshot cases (tests/fix_snapshots.py) with the flag that refreshes them."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from fix_snapshots import REFRESH_FLAG, FixCases

from flake8_async_testing.plugin import check
from flake8_async_testing.project import PROJECT
from flake8_async_testing.settings import Settings


collect_ignore = ["fix_cases"]
"""The fix command's snapshot cases are inputs, not tests (a name like *_test.py would be collected)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        REFRESH_FLAG,
        action="store_true",
        help="write the fix command's snapshots (tests/fix_cases/*.fixed, *.diff) from what the fix makes now",
    )


def clear_caches() -> None:
    """What the plugin reads from disk is kept per process; each test writes its own files."""
    PROJECT.reset()


@pytest.fixture(autouse=True)
def _fresh_caches():
    clear_caches()


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def codes(self, relative: str, settings: Settings = Settings()) -> list[str]:
        """The codes found in one file of the project, in order."""
        path = self.root / relative
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return [message.split()[0] for _, _, message in check(tree, str(path), settings)]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture
def fix_cases(tmp_path: Path, request: pytest.FixtureRequest) -> FixCases:
    """Fixer cases run in this test's folder, held against their snapshots (or refreshed)."""
    return FixCases(tmp_path, bool(request.config.getoption(REFRESH_FLAG)))


UNMARKED_ASYNC_TEST = """\
async def test_unmarked():
    pass
"""
