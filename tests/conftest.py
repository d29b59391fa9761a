"""Shared helpers: small throwaway projects on disk, and the checker's caches reset per test."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_async_testing.plugin import check
from flake8_async_testing.project import PROJECT
from flake8_async_testing.settings import Settings


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


UNMARKED_ASYNC_TEST = """\
async def test_unmarked():
    pass
"""
