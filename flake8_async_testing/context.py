"""Everything the rules know about one file, built once before the walk.

The pytest configuration, the conftest.py chain and plugin modules come from the project index
(read from disk once per process); the module's own facts come from the tree flake8 already parsed.
"""

from __future__ import annotations

import ast
import os
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator

from .coroutines import CoroutineResolver
from .habits import FixtureScope, HabitQuestions
from .libraries import ASYNC_RUNNER_PLUGINS, ORDINARY_PLUGINS
from .project import PROJECT
from .pytest_config import LOOP_SCOPES, MATCH_FIXTURE_SCOPE, PytestConfig, matches_prefix_or_glob, matches_python_files
from .pytest_model import (
    ASYNC_MARKS,
    UNITTEST_ASYNC_TESTCASES,
    UNITTEST_TESTCASE,
    ClassFacts,
    Decorated,
    Fixture,
    MarkList,
    ModuleFacts,
    module_facts,
    top_level_statements,
)
from .settings import Settings


class FileContext:
    def __init__(self, tree: ast.Module, filename: str, settings: Settings, module: ModuleFacts | None = None) -> None:
        self.filename = filename
        self.settings = settings
        self._class_kinds: dict[ast.ClassDef, str] = {}
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
    def _shared_modules(self) -> Iterator[ModuleFacts]:
        """The conftest chain (nearest first), then plugin modules."""
        yield from self.conftests
        yield from self.plugin_modules

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

    # -- tests -----------------------------------------------------------------------------

    def is_test_name(self, name: str) -> bool:
        return matches_prefix_or_glob(name, self.config.python_functions)

    def collected_def(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, outside_functions: bool, enclosing: Iterable[ast.AST]
    ) -> tuple[Decorated, list[ClassFacts]] | None:
        """The def's decorators and enclosing classes (outermost first), given the scopes around
        it (`enclosing`, outermost first) and whether the innermost stands outside every function,
        if it stands where pytest looks for tests and fixtures (module level or a class body);
        else None. The semantic model's binder asks once per def, every family reads that."""
        definition = self.module.functions.get(node)
        if definition is None or not outside_functions:
            return None
        classes = [self.module.classes[scope] for scope in enclosing if isinstance(scope, ast.ClassDef)]
        return definition, classes

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

    def collected_tests(self) -> list[tuple[Decorated, list[ClassFacts]]]:
        """The module's tests (not fixtures) with their enclosing classes, outermost first."""
        tests: list[tuple[Decorated, list[ClassFacts]]] = []
        body = top_level_statements(self.module.tree.body) if self.module.tree is not None else iter(())
        pending: list[tuple[Iterable[ast.stmt], list[ClassFacts]]] = [(body, [])]
        while pending:
            statements, classes = pending.pop()
            for statement in statements:
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    definition = self.module.functions.get(statement)
                    if definition is not None and not definition.is_fixture and self.test_kind(statement, classes):
                        tests.append((definition, classes))
                elif isinstance(statement, ast.ClassDef) and statement in self.module.classes:
                    pending.append((statement.body, [*classes, self.module.classes[statement]]))
        return tests

    def test_kind(self, node: ast.FunctionDef | ast.AsyncFunctionDef, classes: list[ClassFacts]) -> str | None:
        """`pytest`, or `testcase` / `async_testcase` (unittest), for a def collected as a
        test; None for anything else. `classes` are the enclosing classes, outermost first."""
        if not classes:
            return "pytest" if self.is_test_module and self.is_test_name(node.name) else None
        kind = self.test_class_kind(classes[-1])
        if kind in ("testcase", "async_testcase"):
            return kind if node.name.startswith("test") else None
        outer_kinds = {self.test_class_kind(cls) for cls in classes}
        if outer_kinds == {"pytest"} and self.is_test_module and self.is_test_name(node.name):
            return "pytest"
        return None

    def test_class_kind(self, cls: ClassFacts) -> str:
        kind = self._class_kinds.get(cls.node)
        if kind is None:
            kind = self._class_kinds[cls.node] = self._test_class_kind(cls)
        return kind

    def _test_class_kind(self, cls: ClassFacts) -> str:
        """`pytest` for a class pytest collects as a plain test class, `testcase` for a
        unittest.TestCase, `async_testcase` for an IsolatedAsyncioTestCase, `unknown` where a
        base class is out of sight, `none` where pytest does not collect it."""
        if cls.collection_disabled:
            return "none"
        ancestry = self._ancestry(cls)
        if ancestry is None:
            return "unknown"
        if any(name in UNITTEST_ASYNC_TESTCASES for name in ancestry):
            return "async_testcase"
        if UNITTEST_TESTCASE in ancestry:
            return "testcase"
        if not matches_prefix_or_glob(cls.node.name, self.config.python_classes) or cls.has_init:
            return "none"
        return "pytest"

    def _ancestry(self, cls: ClassFacts, depth: int = 0) -> set[str] | None:
        """Canonical names of every external base in the class's ancestry; None if a base
        cannot be resolved (imported from elsewhere, computed)."""
        if depth > 20:
            return None
        names: set[str] = set()
        for base in cls.base_names:
            if base is None:
                return None
            local = self.module.class_by_name.get(base)
            if local is not None and local is not cls:
                inherited = self._ancestry(local, depth + 1)
                if inherited is None:
                    return None
                names |= inherited
            elif base in ("object", UNITTEST_TESTCASE, *UNITTEST_ASYNC_TESTCASES):
                names.add(base)
            else:
                return None
        return names

    def class_marks(self, cls: ClassFacts, depth: int = 0) -> MarkList:
        """A class's marks, those inherited from module-level base classes included."""
        marks = MarkList(list(cls.marks.marks), cls.marks.understood)
        for base in cls.base_names:
            local = self.module.class_by_name.get(base or "")
            if local is not None and local is not cls and depth < 20:
                inherited = self.class_marks(local, depth + 1)
                marks.marks += inherited.marks
                marks.understood = marks.understood and inherited.understood
        return marks

    def marks_for(self, definition: Decorated, classes: Iterable[ClassFacts]) -> MarkList:
        """The marks that apply to a test: its own, its classes', the module's pytestmark."""
        marks = MarkList(list(definition.marks), True)
        for cls in classes:
            class_marks = self.class_marks(cls)
            marks.marks += class_marks.marks
            marks.understood = marks.understood and class_marks.understood
        marks.marks += self.module.pytestmark.marks
        marks.understood = marks.understood and self.module.pytestmark.understood
        return marks

    def async_test_runner(self, definition: Decorated, classes: list[ClassFacts]) -> str | None:
        """Why an async test will be run, or None if nothing we can see runs it."""
        marks = self.marks_for(definition, classes)
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
        closure = self.fixture_closure(requested, classes)
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
        mark_lists = [own, *(self.class_marks(cls) for cls in reversed(classes)), self.module.pytestmark]
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

    # -- fixtures --------------------------------------------------------------------------

    def fixture_defined_by(self, definition: Decorated) -> Fixture | None:
        """The fixture a collected def defines, if it is one."""
        return self.module.fixture_by_def.get(definition.node)

    def fixture_named(self, name: str, classes: list[ClassFacts], skip: Fixture | None = None) -> Fixture | None:
        """The definition pytest picks for a request: innermost class, module, conftests.
        `skip` is the requesting fixture itself: a fixture that requests its own name gets
        the definition it overrides."""
        for fixture_map in self._fixture_maps(classes):
            fixture = fixture_map.get(name)
            if fixture is not None and fixture is not skip:
                return fixture
        return None

    def autouse_fixtures(self, classes: list[ClassFacts]) -> list[Fixture]:
        """The autouse fixtures a test of these classes gets, the closest definition of each name."""
        found: dict[str, Fixture] = {}
        for fixture_map in self._fixture_maps(classes):
            for name, fixture in fixture_map.items():
                if name not in found:
                    found[name] = fixture
        return [fixture for fixture in found.values() if fixture.autouse]

    def usefixtures_arguments(self, definition: Decorated, classes: list[ClassFacts]) -> list[tuple[str, ast.expr]]:
        """The fixture names `@pytest.mark.usefixtures(...)` marks that apply to a test give (its
        own, its classes', the module's), each with the string node that names it."""
        return [
            argument
            for mark in self.marks_for(definition, classes).marks
            if mark.name == "usefixtures"
            for argument in mark.usefixtures_arguments
        ]

    def _fixture_maps(self, classes: list[ClassFacts]) -> Iterator[dict[str, Fixture]]:
        for cls in reversed(classes):
            yield cls.fixtures
        yield self.module.fixtures
        for facts in self._shared_modules:
            yield facts.fixtures

    def fixture_closure(self, requested: list[str], classes: list[ClassFacts]) -> dict[str, list[Fixture]]:
        """Every fixture a test ends up requesting, through fixtures and autouse ones, by name
        (every definition of an overridden name is followed: silence over a guess)."""
        maps = list(self._fixture_maps(classes))
        pending = list(requested)
        pending += [fixture.name for fixture_map in maps for fixture in fixture_map.values() if fixture.autouse]
        seen: dict[str, list[Fixture]] = {}
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen[name] = [fixture_map[name] for fixture_map in maps if name in fixture_map]
            for fixture in seen[name]:
                pending.extend(fixture.requests)
        return seen


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
