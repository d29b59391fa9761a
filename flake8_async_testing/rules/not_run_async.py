"""ATS2xx: the test or fixture is not run as async.

An `async def` test or fixture that no plugin runs is never executed: pytest fails or skips
the test, or hands the coroutine object to whoever requested the fixture. These rules decide
per def, from its decorators, its classes, the module, the conftest chain and the pytest
configuration, and stay silent wherever some other runner may be at work.
"""

from __future__ import annotations

import ast

from ..pytest_model import ClassFacts, Decorated, Fixture
from .base import Code, RuleFamily

ATS201 = Code(
    "ATS201",
    "async test '{name}' has no asyncio, anyio or trio mark and asyncio_mode is strict: pytest never runs it "
    "('async def functions are not natively supported'); add @pytest.mark.asyncio or set asyncio_mode = auto",
    "async test without an async mark in strict mode: never run",
)
ATS202 = Code(
    "ATS202",
    "async fixture '{name}' uses plain @pytest.fixture in asyncio strict mode: nothing awaits it and requesters "
    "get a coroutine object; use @pytest_asyncio.fixture or set asyncio_mode = auto",
    "async fixture under plain @pytest.fixture in strict mode",
)
ATS203 = Code(
    "ATS203",
    "@pytest.mark.asyncio on sync test '{name}' does nothing (pytest-asyncio warns); remove the mark or make the "
    "test async",
    "@pytest.mark.asyncio on a sync test",
)
ATS204 = Code(
    "ATS204",
    "mark '{mark}' on fixture '{name}' has no effect and is an error since pytest 9 ('Marks applied to fixtures "
    "have no effect'); put the mark on the tests that use the fixture",
    "a mark on a fixture",
)
ATS205 = Code(
    "ATS205",
    "async test '{name}' in unittest.TestCase subclass '{cls}' is never awaited: the test passes without running; "
    "derive the class from unittest.IsolatedAsyncioTestCase",
    "async test method in a unittest.TestCase that is not IsolatedAsyncioTestCase",
)
ATS206 = Code(
    "ATS206",
    "async generator test '{name}' is never run (its body is not executed); replace 'yield' with a fixture or drop it",
    "async generator test",
)
ATS207 = Code(
    "ATS207",
    "'{name}' requests async fixture '{fixture}' that no plugin runs in asyncio strict mode: it gets a coroutine "
    "object (an error since pytest 9); decorate the fixture with @pytest_asyncio.fixture",
    "sync test or fixture requesting an async fixture that no plugin runs",
)


class NotRunAsync(RuleFamily):
    codes = (ATS201, ATS202, ATS203, ATS204, ATS205, ATS206, ATS207)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._async_test_candidates: dict[ast.AsyncFunctionDef, list[ClassFacts]] = {}

    # -- sync defs ------------------------------------------------------------------------

    def enter_FunctionDef(self, node: ast.FunctionDef) -> None:
        collected = self.collected_def(node)
        if collected is None:
            return
        definition, classes = collected
        if definition.is_fixture:
            self._check_fixture_marks(definition)
            self._check_sync_consumer(definition, classes)
            return
        if definition.unknown_decorators or self.context.test_kind(node, classes) != "pytest":
            return
        for mark in definition.marks:
            if mark.name == "asyncio":
                self.report(ATS203, mark.node, name=node.name)
        self._check_sync_consumer(definition, classes)

    def _check_sync_consumer(self, definition: Decorated, classes: list[ClassFacts]) -> None:
        """ATS207: a sync test or fixture that would receive a coroutine object."""
        context = self.context
        if not context.asyncio_strict or definition.unknown_decorators:
            return
        own = context.fixture_defined_by(definition)
        unrun = [
            parameter
            for parameter in definition.requested_parameters(is_method=bool(classes))
            if _is_plain_async_fixture(context.fixture_named(parameter.arg, classes, skip=own))
        ]
        if unrun and not context.anyio_or_trio_may_run_fixtures:
            for parameter in unrun:
                self.report(ATS207, parameter, name=definition.node.name, fixture=parameter.arg)

    def _check_fixture_marks(self, definition: Decorated) -> None:
        for mark in definition.marks:
            self.report(ATS204, mark.node, mark=mark.name, name=definition.node.name)

    # -- async defs -----------------------------------------------------------------------

    def enter_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        collected = self.collected_def(node)
        if collected is None:
            return
        definition, classes = collected
        if definition.is_fixture:
            self._check_fixture_marks(definition)
            context = self.context
            if (
                definition.is_plain_async_fixture
                and context.asyncio_strict
                and not context.anyio_or_trio_may_run_fixtures
                and not definition.unknown_decorators
            ):
                self.report(ATS202, node, name=node.name)
            return
        if not definition.unknown_decorators:
            self._async_test_candidates[node] = classes

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        classes = self._async_test_candidates.pop(node, None)
        if classes is None:
            return
        kind = self.context.test_kind(node, classes)
        if kind is None:
            return
        context = self.context
        if self.bindings.frame.has_yield:
            if kind != "pytest" or not context.custom_runner_may_run_coroutines:
                self.report(ATS206, node, name=node.name)
        elif kind == "testcase":
            self.report(ATS205, node, name=node.name, cls=classes[-1].node.name)
        elif kind == "pytest" and context.asyncio_strict:
            definition = context.module.functions[node]
            if context.async_test_runner(definition, classes) is None:
                self.report(ATS201, node, name=node.name)


def _is_plain_async_fixture(fixture: Fixture | None) -> bool:
    return fixture is not None and fixture.definition.is_plain_async_fixture
