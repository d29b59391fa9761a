"""ATS4xx: event loop and scope mismatch.

pytest-asyncio runs each async test and fixture in a loop of some scope (0.24 onward:
`loop_scope`, with `asyncio_default_*_loop_scope` defaults). Where a fixture's loop is narrower
than its own scope, or a test runs in another loop than the fixtures it uses, the failures name
neither ("Event loop is closed", "attached to a different loop"). The `event_loop` fixture,
`scope=` on the mark and the loop policy APIs were removed or deprecated on the way; code
written for an older version fails or warns under a newer one. Scopes are compared only
where every one of them is known: a scope computed at run time keeps the rules silent.
"""

from __future__ import annotations

import ast
import os

from ..collection import CollectedAs
from ..scopes import Frame, ScopeKind
from ..libraries import (
    EVENT_LOOP,
    GET_EVENT_LOOP,
    NESTED_LOOP_RUNNERS,
    POLICY_FUNCTIONS,
    POLICY_MODULES,
    SHARED_LOOP_GETTERS,
)
from ..project import PROJECT
from ..pytest_config import LOOP_SCOPES
from ..module_facts import ClassFacts, Decorated, Fixture
from ..values import Instance
from .base import Code, RuleFamily
from .loop_state import loop_bound, loop_work

ATS401 = Code(
    "ATS401",
    "fixture 'event_loop' is ignored by pytest-asyncio since 1.0 (deprecated in 0.23): tests no longer run in "
    "the loop it makes; remove it and set loop_scope on the mark or asyncio_default_test_loop_scope",
    "a fixture named event_loop is defined",
)
ATS402 = Code(
    "ATS402",
    "'{name}' requests fixture 'event_loop', {why}; use asyncio.get_running_loop() inside the coroutine",
    "a test or fixture requests event_loop",
)
ATS403 = Code(
    "ATS403",
    "{kind} fixture '{name}' has scope '{scope}' but runs in a '{loop_scope}'-scoped loop ({why}): "
    "its setup fails with ScopeMismatch; {fix}",
    "an async fixture whose scope is wider than its loop scope",
)
ATS404 = Code(
    "ATS404",
    "'{name}' runs in a '{own}'-scoped loop but requests async fixture '{fixture}', which runs in a "
    "'{other}'-scoped loop and {what}: that loop does not run during the test ('attached to a different loop', "
    "tasks that never run); give both the same loop_scope",
    "an async test or fixture requests an async fixture with another loop scope",
)
ATS405 = Code(
    "ATS405",
    "asyncio.get_event_loop() {why}",
    "asyncio.get_event_loop() in test code",
)
ATS406 = Code(
    "ATS406",
    "'{call}' inside a coroutine raises 'cannot be called from a running event loop'; await the coroutine instead",
    "asyncio.run, loop.run_until_complete or asyncio.Runner inside a coroutine",
)
ATS407 = Code(
    "ATS407",
    "{what} is deprecated since Python 3.14 and pytest-asyncio 1.4 (the event loop policy system goes away); "
    "use a loop factory (asyncio.Runner(loop_factory=...), pytest-asyncio's pytest_asyncio_loop_factories hook)",
    "event-loop policy APIs or an event_loop_policy fixture in test code",
)
ATS408 = Code(
    "ATS408",
    "pytest.mark.asyncio(scope=...) is deprecated since pytest-asyncio 0.24; use loop_scope=",
    "pytest.mark.asyncio(scope=...)",
)
ATS409 = Code(
    "ATS409",
    "'{call}' closes the {which} event loop: {why}; let pytest-asyncio close its loops (close only loops you made "
    "with asyncio.new_event_loop())",
    "a test or fixture closes the running or default loop",
)

IN_A_COROUTINE = "in a coroutine is the deprecated spelling: use asyncio.get_running_loop()"
"""ATS405's text for a call inside a coroutine: the one form the fix command rewrites."""

INTERESTING_ATTRIBUTES = frozenset(
    {
        "get_event_loop",
        "get_running_loop",
        "run",
        "Runner",
        "run_until_complete",
        "close",
        *(name.rpartition(".")[2] for name in POLICY_FUNCTIONS),
    }
)
"""The last name of every call these rules look at: any other call is passed by at once."""
_SCOPE_ORDER = {scope: order for order, scope in enumerate(LOOP_SCOPES)}
ANYIO_BACKEND_SCOPE = "module"
"""The scope of anyio's own `anyio_backend` fixture (anyio 4.x: checked by running it; its
documentation still says function)."""


class EventLoop(RuleFamily):
    codes = (ATS401, ATS402, ATS403, ATS404, ATS405, ATS406, ATS407, ATS408, ATS409)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        context = self.context
        self.in_test_code = context.is_test_code
        self._covered: set[ast.Call] = set()
        """Calls already part of a finding on the call around them (one defect, one finding)."""
        self._policy_fixtures: set[ast.AST] = set()
        self._reported_requests: set[tuple[str, ast.AST]] = set()
        """(fixture, node) already reported: a module's usefixtures mark is reported once, not per test."""

    # -- marks ----------------------------------------------------------------------------

    def enter_Module(self, node: ast.Module) -> None:
        module = self.context.module
        mark_lists = [definition.marks for definition in module.functions.values()]
        mark_lists += [cls.marks.marks for cls in module.classes.values()]
        mark_lists.append(module.pytestmark.marks)
        for marks in mark_lists:
            for mark in marks:
                if (
                    mark.name == "asyncio"
                    and mark.call is not None
                    and any(kw.arg == "scope" for kw in mark.call.keywords)
                ):
                    self.report(ATS408, mark.node)

    # -- tests and fixtures ---------------------------------------------------------------

    def enter_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._check_definition(node)

    def enter_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._check_definition(node)

    def _check_definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        collected = self.collected_def(node)
        if collected is None:
            return
        definition, classes = collected
        context = self.context
        fixture = context.fixtures.fixture_defined_by(definition)
        if fixture is not None:
            loop_scope = context.fixture_loop_scope(fixture)
            self._check_fixture_definition(fixture, loop_scope)
        elif context.collection.test_kind(node, classes) is CollectedAs.PYTEST:
            loop_scope = context.test_loop_scope(definition, classes) if definition.is_async else None
        else:
            return
        self._check_requests(definition, classes, fixture, loop_scope)

    def _check_fixture_definition(self, fixture: Fixture, loop_scope: str | None) -> None:
        node = fixture.node
        if fixture.name == "event_loop":
            if not self.context.custom_runner_may_run_coroutines:  # a hook of its own may use it
                self.report(ATS401, node)
        elif fixture.name == "event_loop_policy" and self.in_test_code:
            self._policy_fixtures.add(node)
            self.report(ATS407, node, what="overriding the 'event_loop_policy' fixture")
        if fixture.scope not in _SCOPE_ORDER:
            return
        if loop_scope is None:
            self._check_anyio_scope(fixture)
        elif _SCOPE_ORDER[fixture.scope] > _SCOPE_ORDER[loop_scope]:
            why = "its loop_scope" if fixture.loop_scope else "asyncio_default_fixture_loop_scope"
            kind = "async" if fixture.is_async else "pytest_asyncio"
            fix = f"set loop_scope='{fixture.scope}' on the fixture"
            self.report(
                ATS403, node, kind=kind, name=fixture.name, scope=fixture.scope, loop_scope=loop_scope, why=why, fix=fix
            )

    def _check_anyio_scope(self, fixture: Fixture) -> None:
        """ATS403 under anyio: anyio's plugin makes an async fixture that an anyio test gets
        request `anyio_backend`; one wider than that fixture's scope (anyio's own is
        module-scoped, an override has the scope it declares) fails with ScopeMismatch."""
        context, scope = self.context, fixture.scope
        if scope is None or not fixture.definition.is_plain_async_fixture or not context.anyio_may_run_fixtures:
            return
        if context.asyncio_auto or context.custom_runner_may_run_coroutines:
            return  # pytest-asyncio (auto mode) or a plugin of the project may run it instead
        backend = context.fixtures.fixture_named("anyio_backend", [])
        backend_scope = backend.scope if backend is not None else ANYIO_BACKEND_SCOPE
        if backend_scope not in _SCOPE_ORDER or _SCOPE_ORDER[scope] <= _SCOPE_ORDER[backend_scope]:
            return  # a computed scope, or wide enough
        why = f"the anyio_backend of {_where(backend)}" if backend is not None else "anyio's own anyio_backend"
        fix = f"give anyio_backend scope '{scope}' (an override in conftest.py), or narrow the fixture's scope"
        self.report(
            ATS403,
            fixture.node,
            kind="async",
            name=fixture.name,
            scope=scope,
            loop_scope=backend_scope,
            why=why,
            fix=fix,
        )

    def _check_requests(
        self, definition: Decorated, classes: list[ClassFacts], own: Fixture | None, loop_scope: str | None
    ) -> None:
        """ATS402 and ATS404, at each requesting parameter; for a test also at each name of a
        `usefixtures` mark, and (ATS404) at its def line for an autouse fixture."""
        context = self.context
        requests: list[tuple[str, ast.AST]] = [
            (parameter.arg, parameter) for parameter in definition.requested_parameters(is_method=bool(classes))
        ]
        if own is None:
            requests += context.collection.usefixtures_arguments(definition, classes)
        for name, node in requests:
            requested = context.fixtures.fixture_named(name, classes, skip=own)
            if name == "event_loop":
                if (name, node) not in self._reported_requests:
                    self._reported_requests.add((name, node))
                    self._check_event_loop_request(definition, node, requested, loop_scope)
            elif requested is not None:
                self._check_loop_crossing(definition, node, requested, loop_scope)
        if own is None and loop_scope is not None:
            named = {name for name, _ in requests}
            for fixture in context.fixtures.autouse_fixtures(classes):
                if fixture.name not in named:
                    self._check_loop_crossing(definition, definition.node, fixture, loop_scope)

    def _check_loop_crossing(
        self, definition: Decorated, node: ast.AST, requested: Fixture, loop_scope: str | None
    ) -> None:
        """ATS404: the requested fixture ran in another loop and something of that loop crosses."""
        if loop_scope is None or (requested.name, node) in self._reported_requests:
            return
        other = self.context.fixture_loop_scope(requested)
        if other is None or other == loop_scope:
            return
        what = self._loop_state(requested, other)
        if what is not None:
            self._reported_requests.add((requested.name, node))
            self.report(
                ATS404,
                node,
                name=definition.node.name,
                own=loop_scope,
                fixture=requested.name,
                other=other,
                what=what,
            )

    def _loop_state(self, fixture: Fixture, loop_scope: str, depth: int = 0) -> str | None:
        """What of the fixture's loop reaches a requester: tasks it starts there, a Future or
        Task it hands over, or the same through a fixture it requests in that loop. None
        where nothing loop-bound is known to cross (plain data, clients, sessions, setup only)."""
        purpose = ("loop state", self.context.settings)
        own = PROJECT.per_definition(purpose, fixture.node, lambda: self._own_loop_state(fixture))
        if own is not None or depth > 3:
            return own
        for name in fixture.requests:
            requested = self.context.fixtures.fixture_named(name, [], skip=fixture)
            if requested is not None and self.context.fixture_loop_scope(requested) == loop_scope:
                found = self._loop_state(requested, loop_scope, depth + 1)
                if found is not None:
                    return f"requests '{name}', which {found}"
        return None

    def _own_loop_state(self, fixture: Fixture) -> str | None:
        context = self.context
        module = context.module if fixture.path == context.filename else PROJECT.facts_of_file(fixture.path)
        work = loop_work(fixture.node, module, context.search_roots) if module is not None else None
        if work is not None:
            return work
        bound = loop_bound(self.model.fixture_value(fixture))
        return f"hands over a {bound[0]} of it" if bound is not None else None

    def _check_event_loop_request(
        self, definition: Decorated, parameter: ast.AST, requested: Fixture | None, loop_scope: str | None
    ) -> None:
        name = definition.node.name
        if self.context.custom_runner_may_run_coroutines:
            return  # a plugin or hook of the project may provide the fixture and run the test in it
        if requested is None:
            why = "which pytest-asyncio removed in 1.0 ('fixture 'event_loop' not found')"
            self.report(ATS402, parameter, name=name, why=why)
        elif loop_scope is not None:
            self.report(
                ATS402,
                parameter,
                name=name,
                why=f"which {_where(requested)} defines: it gets that loop, "
                "not the one pytest-asyncio (>= 1.0) runs it in",
            )

    # -- calls ----------------------------------------------------------------------------

    def enter_Call(self, node: ast.Call) -> None:
        func = node.func
        last = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else None
        if last not in INTERESTING_ATTRIBUTES and not (last or "").endswith("EventLoopPolicy"):
            return
        if node in self._covered or not self.in_test_code:
            return
        frame = self.model.statement_frame
        qualified = self.model.qualified_name(func)
        if last == "close" and isinstance(func, ast.Attribute):
            self._check_close(node, func.value, frame)
        elif last == "run_until_complete" or qualified in NESTED_LOOP_RUNNERS:
            if frame.is_async:
                self._cover(func)
                self.report(ATS406, node, call=self.model.describe(node))
        elif qualified in GET_EVENT_LOOP:
            self._check_get_event_loop(node, frame)
        elif qualified in POLICY_FUNCTIONS or _is_policy_class(qualified):
            if not any(f.node in self._policy_fixtures for f in self.model.frames_outward()):
                self._covered.update(n for n in ast.walk(node) if isinstance(n, ast.Call))
                self.report(ATS407, node, what=f"'{self.model.describe(node)}'")

    def enter_ClassDef(self, node: ast.ClassDef) -> None:
        """`class QuietPolicy(asyncio.DefaultEventLoopPolicy)`: policy API use, at the base."""
        if not self.in_test_code:
            return
        for base in node.bases:
            qualified = self.model.qualified_name(base)
            if _is_policy_class(qualified):
                self.report(ATS407, base, what=f"subclassing '{qualified}'")

    def _check_get_event_loop(self, node: ast.Call, frame: Frame) -> None:
        if frame.is_async:
            why = IN_A_COROUTINE
        elif frame.sync_test_code is not None or frame.kind in (ScopeKind.MODULE, ScopeKind.CLASS):
            why = (
                "outside a coroutine relies on an implicit loop: a DeprecationWarning since Python 3.12 and a "
                "RuntimeError ('There is no current event loop') since 3.14 when none is set; make the code async and "
                "use asyncio.get_running_loop()"
            )
        else:
            why = (
                "in a sync helper relies on an implicit loop whenever it is called outside a coroutine (a "
                "DeprecationWarning since Python 3.12, a RuntimeError since 3.14 when none is set), and is the "
                "deprecated spelling inside one; pass the loop in, or make the helper async and use "
                "asyncio.get_running_loop()"
            )
        self.report(ATS405, node, why=why)

    def _check_close(self, node: ast.Call, receiver: ast.expr, frame: Frame) -> None:
        if not frame.in_test_or_fixture:
            return
        if isinstance(receiver, ast.Call):
            getter = self.model.qualified_name(receiver.func)
            if getter not in SHARED_LOOP_GETTERS:
                return
            self._covered.add(receiver)
        else:
            loop = self.model.value_of(receiver) if isinstance(receiver, ast.Name) else None
            if not (isinstance(loop, Instance) and loop.type_name == EVENT_LOOP and loop.borrowed):
                return
        if frame.is_async:
            which, why = "running", "inside a coroutine this raises 'Cannot close a running event loop'"
        else:
            which, why = "default", "the tests after it get 'Event loop is closed'"
        self.report(ATS409, node, call=self.model.describe(node), which=which, why=why)

    def _cover(self, func: ast.expr) -> None:
        """`asyncio.get_event_loop().run_until_complete(...)`: one finding, for the outer call."""
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
            self._covered.add(func.value)


def _is_policy_class(qualified: str | None) -> bool:
    """`asyncio.DefaultEventLoopPolicy`, `asyncio.WindowsSelectorEventLoopPolicy`, `uvloop.EventLoopPolicy`."""
    return (
        qualified is not None
        and qualified.endswith("EventLoopPolicy")
        and qualified.partition(".")[0] in POLICY_MODULES
    )


def _where(fixture: Fixture) -> str:
    return os.path.basename(fixture.path) or "this project"
