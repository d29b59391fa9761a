"""ATS2xx: the test or fixture is not run as async.

An `async def` test or fixture that no plugin runs is never executed: pytest fails or skips
the test, or hands the coroutine object to whoever requested the fixture. These rules decide
per def, from its decorators, its classes, the module, the conftest chain and the pytest
configuration, and stay silent wherever some other runner may be at work.
"""

from __future__ import annotations

import ast

from ..collection import CollectedAs
from ..module_facts import ClassFacts, Decorated, Fixture
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
    "'{name}' requests async fixture '{fixture}' that no plugin runs {where}: it gets a coroutine object (an "
    "error since pytest 9); {fix}",
    "sync test or fixture requesting an async fixture that no plugin runs",
)
UNRUN_PLAIN_ASYNC_FIXTURE = {
    # (why pytest-asyncio leaves it, anyio at work): (where, fix)
    ("strict", False): ("in asyncio strict mode", "decorate the fixture with @pytest_asyncio.fixture"),
    ("off", False): (
        "with pytest-asyncio switched off",
        "make the fixture sync, or have a plugin run it (pytest-asyncio's @pytest_asyncio.fixture, anyio_backend)",
    ),
    ("strict", True): (
        "for a test without anyio_backend (anyio runs async fixtures only for tests that request it)",
        "request anyio_backend (directly, through a fixture or usefixtures), or decorate the fixture with "
        "@pytest_asyncio.fixture",
    ),
    ("off", True): (
        "for a test without anyio_backend (anyio runs async fixtures only for tests that request it)",
        "request anyio_backend (directly, through a fixture or usefixtures), or make the test async and mark it "
        "@pytest.mark.anyio",
    ),
}
"""ATS207's message: where the fixture goes unrun, and the fix."""


class NotRunAsync(RuleFamily):
    codes = (ATS201, ATS202, ATS203, ATS204, ATS205, ATS206, ATS207)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._async_test_candidates: dict[ast.AsyncFunctionDef, list[ClassFacts]] = {}
        self._reported_requests: set[tuple[str, ast.AST]] = set()

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
        if definition.unknown_decorators or self.context.collection.test_kind(node, classes) is not CollectedAs.PYTEST:
            return
        for mark in definition.marks:
            if mark.name == "asyncio":
                self.report(ATS203, mark.node, name=node.name)
        self._check_sync_consumer(definition, classes)

    def _check_sync_consumer(self, definition: Decorated, classes: list[ClassFacts]) -> None:
        """ATS207: a sync test or fixture that would receive a coroutine object, for a fixture it
        requests by parameter, by `usefixtures` (reported at the mark's argument) or, for a
        test, an autouse fixture (reported at the test's def line)."""
        context = self.context
        why = context.why_plain_async_fixtures_may_not_run
        if why is None or definition.unknown_decorators:
            return
        own = context.fixtures.fixture_defined_by(definition)
        is_method = bool(classes)
        requests: list[tuple[str, ast.AST]] = [
            (parameter.arg, parameter) for parameter in definition.requested_parameters(is_method)
        ]
        if own is None:
            requests += context.collection.usefixtures_arguments(definition, classes)
        unrun = [
            (name, node)
            for name, node in requests
            if _is_plain_async_fixture(context.fixtures.fixture_named(name, classes, skip=own))
        ]
        anyio = context.anyio_may_run_fixtures
        if own is None and (anyio or why == "off"):  # strict mode without anyio: ATS202 at the fixture says it
            autouse = context.fixtures.autouse_fixtures(classes)
            unrun += [(fixture.name, definition.node) for fixture in autouse if _is_plain_async_fixture(fixture)]
        if not unrun:
            return
        if anyio:
            if own is not None:
                return  # the tests that use the fixture may request anyio_backend
            requested = [name for name, _ in requests]
            if "anyio_backend" in context.fixtures.fixture_closure(requested, classes):
                return
        where, fix = UNRUN_PLAIN_ASYNC_FIXTURE[(why, anyio)]
        for name, node in unrun:
            if (name, node) not in self._reported_requests:  # a module's usefixtures mark: once, not per test
                self._reported_requests.add((name, node))
                self.report(ATS207, node, name=definition.node.name, fixture=name, where=where, fix=fix)

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
        kind = self.context.collection.test_kind(node, classes)
        if kind is None:
            return
        context = self.context
        if self.model.frame.has_yield:
            if kind is not CollectedAs.PYTEST or not context.custom_runner_may_run_coroutines:
                self.report(ATS206, node, name=node.name)
        elif kind is CollectedAs.TESTCASE:
            self.report(ATS205, node, name=node.name, cls=classes[-1].node.name)
        elif kind is CollectedAs.PYTEST and context.asyncio_strict:
            definition = context.module.functions[node]
            if context.async_test_runner(definition, classes) is None:
                self.report(ATS201, node, name=node.name)


def _is_plain_async_fixture(fixture: Fixture | None) -> bool:
    return fixture is not None and fixture.definition.is_plain_async_fixture
