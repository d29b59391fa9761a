"""What pytest collects from one module: which defs are tests (pytest's or unittest's), which
classes are test classes, and the marks that apply to a test (its own, its classes', the
module's `pytestmark`), as the module's pytest configuration decides."""

from __future__ import annotations

import ast
import enum
from typing import Iterable

from .pytest_config import PytestConfig, matches_prefix_or_glob
from .module_facts import (
    UNITTEST_ASYNC_TESTCASES,
    UNITTEST_TESTCASE,
    ClassFacts,
    Decorated,
    MarkList,
    ModuleFacts,
    top_level_statements,
)


class CollectedAs(enum.Enum):
    """What pytest makes of a def or a class: a pytest test (class), a unittest TestCase or
    IsolatedAsyncioTestCase test (class); for classes also a base out of sight (UNKNOWN) or
    none pytest collects (NONE)."""

    PYTEST = "pytest"
    TESTCASE = "testcase"
    ASYNC_TESTCASE = "async_testcase"
    UNKNOWN = "unknown"
    NONE = "none"


UNITTEST_KINDS = (CollectedAs.TESTCASE, CollectedAs.ASYNC_TESTCASE)


class Collection:
    """The tests of one module and the marks on them."""

    def __init__(self, module: ModuleFacts, config: PytestConfig, is_test_module: bool) -> None:
        self.module = module
        self.config = config
        self.is_test_module = is_test_module
        """pytest collects tests from this module (python_files matches it, it is no conftest)."""
        self._class_kinds: dict[ast.ClassDef, CollectedAs] = {}

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

    def test_kind(self, node: ast.FunctionDef | ast.AsyncFunctionDef, classes: list[ClassFacts]) -> CollectedAs | None:
        """PYTEST, TESTCASE or ASYNC_TESTCASE for a def collected as a test; None for anything
        else. `classes` are the enclosing classes, outermost first."""
        if not classes:
            return CollectedAs.PYTEST if self.is_test_module and self.is_test_name(node.name) else None
        kind = self.test_class_kind(classes[-1])
        if kind in UNITTEST_KINDS:
            return kind if node.name.startswith("test") else None
        every_class_pytest = all(self.test_class_kind(cls) is CollectedAs.PYTEST for cls in classes)
        if every_class_pytest and self.is_test_module and self.is_test_name(node.name):
            return CollectedAs.PYTEST
        return None

    def test_class_kind(self, cls: ClassFacts) -> CollectedAs:
        kind = self._class_kinds.get(cls.node)
        if kind is None:
            kind = self._class_kinds[cls.node] = self._test_class_kind(cls)
        return kind

    def _test_class_kind(self, cls: ClassFacts) -> CollectedAs:
        """PYTEST for a class pytest collects as a plain test class, TESTCASE for a
        unittest.TestCase, ASYNC_TESTCASE for an IsolatedAsyncioTestCase, UNKNOWN where a
        base class is out of sight, NONE where pytest does not collect it."""
        if cls.collection_disabled:
            return CollectedAs.NONE
        ancestry = self._ancestry(cls)
        if ancestry is None:
            return CollectedAs.UNKNOWN
        if any(name in UNITTEST_ASYNC_TESTCASES for name in ancestry):
            return CollectedAs.ASYNC_TESTCASE
        if UNITTEST_TESTCASE in ancestry:
            return CollectedAs.TESTCASE
        if not matches_prefix_or_glob(cls.node.name, self.config.python_classes) or cls.has_init:
            return CollectedAs.NONE
        return CollectedAs.PYTEST

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

    def usefixtures_arguments(self, definition: Decorated, classes: list[ClassFacts]) -> list[tuple[str, ast.expr]]:
        """The fixture names `@pytest.mark.usefixtures(...)` marks that apply to a test give (its
        own, its classes', the module's), each with the string node that names it."""
        return [
            argument
            for mark in self.marks_for(definition, classes).marks
            if mark.name == "usefixtures"
            for argument in mark.usefixtures_arguments
        ]
