"""Shared helpers: small throwaway projects on disk, and the checker's caches reset per test."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from flake8_async_testing import context, coroutines, pytest_config
from flake8_async_testing.plugin import check
from flake8_async_testing.settings import Settings


def clear_caches() -> None:
    """Config files and conftests are cached per process; each test writes its own."""
    for cached in (
        pytest_config._config_for_folder,
        context._conftest_chain,
        context.facts_of_file,
        context._plugin_module,
        context._tests_below_mention_anyio_or_trio,
        coroutines._module_file,
        coroutines._top_level_exists,
        coroutines._search_roots,
    ):
        cached.cache_clear()


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
