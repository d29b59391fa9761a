"""Where one file stands in its pytest project, built once before the walk.

Its pytest configuration, conftest.py chain and plugin modules (from the project index, read from
disk once per process), its own facts (from the tree flake8 parsed), and what follows from them:
who may run its async tests and fixtures, the loop scope pytest-asyncio gives each, which of its
defs pytest collects (collection.py) and which fixture a request gets (fixture_lookup.py).
"""

from __future__ import annotations

import ast
import os
from functools import cached_property
from pathlib import Path

from .collection import Collection
from .coroutines import CoroutineResolver
from .fixture_lookup import FixtureLookup
from .habits import FixtureScope, HabitQuestions
from .libraries import ASYNC_RUNNER_PLUGINS, ORDINARY_PLUGINS
from .project import PROJECT
from .pytest_config import LOOP_SCOPES, MATCH_FIXTURE_SCOPE, PytestConfig, matches_python_files
from .module_facts import (
    ASYNC_MARKS,
    ClassFacts,
    Decorated,
    Fixture,
    MarkList,
    ModuleFacts,
    module_facts,
)
from .settings import Settings


class FileContext:
    def __init__(self, tree: ast.Module, filename: str, settings: Settings, module: ModuleFacts | None = None) -> None:
        self.filename = filename
        self.settings = settings
        self.path = Path(os.path.abspath(filename))
        self.config: PytestConfig = settings.apply_to(PROJECT.config_for_file(filename))
        self.module: ModuleFacts = module if module is not None else module_facts(tree, filename)
        self.is_conftest = self.path.name == "conftest.py"
        start = self.path.parent.parent if self.is_conftest else self.path.parent
        root = self.config.root or self.path.parent
        self.conftests, self.conftests_understood = PROJECT.conftest_chain(str(start), str(root))
        self.plugin_modules, self.plugins_understood, self.runner_plugin = self._plugin_modules()
        self.is_test_module = (
            not self.is_conftest
            and not self.module.collection_disabled
            and matches_python_files(self.path, self.config.python_files)
        )
        self.collection = Collection(self.module, self.config, self.is_test_module)
        """Its tests and the marks on them."""
        self.fixtures = FixtureLookup(self.module, [*self.conftests, *self.plugin_modules])
        """The fixture each request gets."""

    @cached_property
    def is_test_code(self) -> bool:
        """A test module, a conftest, or any module in a `tests` / `test` folder below the
        pytest root (a test package's helpers): where the event-loop rules look."""
        if self.is_test_module or self.is_conftest:
            return True
        root = self.config.root
        try:
            folders = self.path.parent.relative_to(root).parts if root else self.path.parent.parts[-3:]
        except ValueError:
            folders = self.path.parent.parts[-3:]
        return any(folder in ("tests", "test") for folder in folders)

    # -- who runs async tests and fixtures ------------------------------------------------

    def _plugin_modules(self) -> tuple[list[ModuleFacts], bool, bool]:
        """Modules named by `pytest_plugins` (resolved under the root) and whether any
        named plugin may run coroutines itself."""
        names = list(self.config.plugins)
        understood = True
        for facts in (self.module, *self.conftests):
            names += facts.pytest_plugins
            understood = understood and facts.pytest_plugins_understood
        modules: list[ModuleFacts] = []
        runner = False
        for name in names:
            if name.startswith("no:"):
                continue
            if _is_plugin(name, ASYNC_RUNNER_PLUGINS):
                runner = True
                continue
            if _is_plugin(name, ORDINARY_PLUGINS):
                continue
            root = Path(self.config.root or self.path.parent)
            plugin = PROJECT.module(name, (str(root), str(root / "src")))
            if plugin is None:
                runner = True  # an unknown plugin might run coroutines: do not guess
            else:
                modules.append(plugin)
        return modules, understood, runner

    @property
    def _shared_modules(self) -> list[ModuleFacts]:
        """The conftest chain (nearest first), then plugin modules."""
        return self.fixtures.shared_modules

    @property
    def custom_runner_may_run_coroutines(self) -> bool:
        """A plugin or hook, not pytest-asyncio, may run this module's async tests."""
        return (
            self.runner_plugin
            or not self.plugins_understood
            or not self.conftests_understood
            or any(facts.hooks_that_run_tests for facts in self._shared_modules)
            or (self.is_conftest and self.module.hooks_that_run_tests)  # a conftest's hooks serve its own fixtures
        )

    @property
    def asyncio_strict(self) -> bool:
        return self.config.asyncio_mode == "strict"

    @property
    def anyio_or_trio_may_run_fixtures(self) -> bool:
        """anyio or trio may run plain async fixtures here, or pytest-asyncio is switched off."""
        return self.anyio_may_run_fixtures or self._trio_or_a_runner_may_run_fixtures or self.config.asyncio_disabled

    @cached_property
    def _trio_or_a_runner_may_run_fixtures(self) -> bool:
        """trio mode or trio in the module or its shared modules, a runner plugin or a hook."""
        return (
            self.config.trio_mode
            or self.custom_runner_may_run_coroutines
            or any(facts.uses_trio for facts in (self.module, *self._shared_modules))
        )

    @cached_property
    def why_plain_async_fixtures_may_not_run(self) -> str | None:
        """`strict` (pytest-asyncio's strict mode leaves plain `@pytest.fixture` async fixtures
        to other plugins) or `off` (pytest-asyncio switched off); None where a plugin may run
        them all: auto mode, trio, a project hook or an unknown plugin. anyio runs them only for
        requesters of `anyio_backend` (see anyio_may_run_fixtures)."""
        if self._trio_or_a_runner_may_run_fixtures:
            return None
        if self.config.asyncio_disabled:
            return "off"
        return "strict" if self.asyncio_strict else None

    @cached_property
    def anyio_may_run_fixtures(self) -> bool:
        """anyio's plugin is at work here (anyio_mode = auto, anyio marks, `anyio_backend`): it
        runs an async fixture for a test whose fixtures include `anyio_backend`."""
        return (
            self.config.anyio_mode == "auto"
            or any(facts.uses_anyio for facts in (self.module, *self._shared_modules))
            or (self.is_conftest and PROJECT.tests_below_mention_anyio_or_trio(str(self.path.parent)))
        )

    # -- the project around ------------------------------------------------------------------

    @cached_property
    def search_roots(self) -> tuple[str, ...]:
        """Folders a project import from this file may start from (see ProjectIndex.search_roots)."""
        return PROJECT.search_roots(str(self.path.parent), str(self.config.root or ""))

    @cached_property
    def habits(self) -> HabitQuestions:
        """Await habits: what the suite shows of calls on fixture values (see habits.py)."""
        root = str(self.config.root) if self.config.root else None
        return HabitQuestions(self.module, self.filename, root, self.config.python_functions)

    def fixture_scope(self, fixture: Fixture) -> FixtureScope:
        """A fixture definition and the test code that can request it, for habit questions."""
        return FixtureScope(
            fixture.name,
            os.path.abspath(fixture.path),
            os.path.basename(fixture.path) == "conftest.py",
            self.config.python_files,
            self.config.python_functions,
        )

    @cached_property
    def coroutine_resolver(self) -> CoroutineResolver:
        settings = self.settings
        return CoroutineResolver(
            self.filename, self.search_roots, self.module, settings.coroutine_functions, settings.async_classes
        )

    def async_test_runner(self, definition: Decorated, classes: list[ClassFacts]) -> str | None:
        """Why an async test will be run, or None if nothing we can see runs it."""
        marks = self.collection.marks_for(definition, classes)
        names = marks.names()
        for name in ASYNC_MARKS:
            if name in names:
                return f"@pytest.mark.{name}"
        if not marks.understood or not all(mark.arguments_understood for mark in marks.marks):
            return "marks we cannot read"
        if any(mark.carries_param_marks for mark in marks.marks):
            return "marks on parameters"
        if self.asyncio_auto:
            return "asyncio_mode = auto"
        if self.config.anyio_mode == "auto":
            return "anyio_mode = auto"
        if self.config.trio_mode:
            return "trio_mode"
        if definition.unknown_decorators:
            return "a decorator that may wrap it"
        if self.custom_runner_may_run_coroutines:
            return "a plugin or conftest hook"
        requested = definition.requested_fixtures(is_method=bool(classes))
        requested += [name for mark in marks.marks for name in mark.requested_fixtures]
        closure = self.fixtures.fixture_closure(requested, classes)
        if "anyio_backend" in closure:
            return "the anyio_backend fixture"
        if any(fixture.param_marks for fixtures in closure.values() for fixture in fixtures):
            return "marks on fixture parameters"
        return None

    # -- event loops, as pytest-asyncio >= 0.24 assigns them --------------------------------

    def test_loop_scope(self, definition: Decorated, classes: list[ClassFacts]) -> str | None:
        """The scope of the loop pytest-asyncio runs an async test in: the `loop_scope` of the
        closest asyncio mark (its own, then its classes', then the module's), else
        asyncio_default_test_loop_scope. None where pytest-asyncio may not run it or the marks
        cannot be read."""
        if definition.unknown_decorators:
            return None
        own = MarkList(list(reversed(definition.marks)), True)  # the bottom decorator is the closest
        mark_lists = [own, *(self.collection.class_marks(cls) for cls in reversed(classes)), self.module.pytestmark]
        for marks in mark_lists:
            if any(mark.carries_param_marks for mark in marks.marks):
                return None
            closest = next((mark for mark in marks.marks if mark.name in ASYNC_MARKS), None)
            if closest is not None:
                if closest.name != "asyncio":
                    return None
                return _valid_scope(closest.loop_scope or self.config.asyncio_default_test_loop_scope)
            if not marks.understood:
                return None
        if self.asyncio_auto and not self.anyio_or_trio_may_run_fixtures:
            return self.config.asyncio_default_test_loop_scope
        return None

    def fixture_loop_scope(self, fixture: Fixture) -> str | None:
        """The scope of the loop pytest-asyncio runs an async fixture in: its `loop_scope`, else
        asyncio_default_fixture_loop_scope, else its own scope. None where pytest-asyncio does
        not run it or a scope is computed. pytest-asyncio runs a sync def under
        `@pytest_asyncio.fixture` in its loop too (with that loop set as the current one)."""
        if fixture.definition.unknown_decorators:
            return None
        if not fixture.is_async and fixture.provider != "pytest_asyncio":
            return None
        if fixture.provider != "pytest_asyncio" and not (self.asyncio_auto and not self.anyio_or_trio_may_run_fixtures):
            return None
        default = self.config.asyncio_default_fixture_loop_scope
        if default == MATCH_FIXTURE_SCOPE:
            default = None
        return _valid_scope(fixture.loop_scope or default or fixture.scope)

    @property
    def asyncio_auto(self) -> bool:
        return self.config.asyncio_mode == "auto" and not self.config.asyncio_disabled


def _valid_scope(scope: str | None) -> str | None:
    return scope if scope in LOOP_SCOPES else None


def _is_plugin(name: str, known: tuple[str, ...]) -> bool:
    return any(name == plugin or name.startswith(plugin + ".") for plugin in known)


def context_of_file(path: str, settings: Settings) -> FileContext | None:
    """The context of another module of the project (a conftest, a plugin module), once per
    process: what its fixtures see."""
    facts = PROJECT.facts_of_file(path)
    if facts is None or facts.tree is None:
        return None
    tree = facts.tree
    return PROJECT.per_key("context", (path, settings), lambda: FileContext(tree, path, settings, facts))
