"""ATS410: a sync test client drives an application that holds a loop-bound value of an async fixture.

Starlette's, FastAPI's and litestar's `TestClient` run the application in an event loop of their
own, in a portal thread. A value an async fixture made in pytest-asyncio's loop and handed to the
application (an override in `dependency_overrides` that returns or yields it, `app.state.x =
it`) is used in that other loop, and one bound to the loop that made it (loop_state.loop_bound:
an aiohttp session, an asyncpg pool or connection, a Future) fails there. Followed: the test or
fixture that makes the client, the fixtures it requests (and theirs), a test's autouse
fixtures; the application by what names it (a fixture, a module's name or import, a name of the
function). Reported at the `TestClient(...)` call, or at the request of the client fixture
where only the requester brings client and value together.
"""

from __future__ import annotations

import ast
import dataclasses

from ..module_facts import ClassFacts, Decorated, Fixture, FunctionNode, ModuleFacts
from ..project import PROJECT
from ..scopes import Frame, PytestRole, ScopeKind
from ..libraries import SYNC_TEST_CLIENT_MODULES, SYNC_TEST_CLIENTS
from .app_uses import (
    AppKey,
    Feed,
    app_clients,
    app_feeds,
    client_names,
    may_feed_an_application,
    may_make_a_client,
)
from .base import Code, RuleFamily
from .loop_state import loop_bound

ATS410 = Code(
    "ATS410",
    "{role} '{name}' drives the application through a sync {client}, which runs it in an event loop of its own "
    "in another thread, while the {what} of async fixture '{fixture}' reaches it ({how}): bound to the fixture's "
    "loop, it fails there ({symptom}); use httpx.AsyncClient with ASGITransport in an async test, or make the "
    "value inside the application's loop",
    "a sync TestClient drives an application that holds a loop-bound value made by an async fixture",
)
MAX_DEPTH = 4
"""How deep requests of requests are followed."""


@dataclasses.dataclass(frozen=True)
class Reach:
    """A function the requester runs: its own body, or a fixture of the closure of one fixture
    it gets (a request, or an autouse fixture of a test)."""

    function: FunctionNode
    module: ModuleFacts | None
    """Its module; None where there is nothing to read (a body the walk saw nothing in)."""
    fixture: Fixture | None
    """The fixture it is (the requester's own for its body; None for a test's)."""
    closure: list[Fixture] | None
    """The closure it belongs to, None for the requester's own body."""
    at: ast.AST | None
    """Where a client of that closure is reported: the requesting parameter, or the test's def
    for an autouse fixture; None for the requester's own body (at the call)."""


class SyncTestClients(RuleFamily):
    codes = (ATS410,)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._client_names = client_names(self.context.module)
        self._may_make: set[ast.AST] = set()
        self._fixtures_feed: bool | None = None
        self._may_feed: set[ast.AST] = set()
        """Functions of this file whose own body may make a client, or hand a value to an
        application, by the walk's first look: only those are read."""

    def applies(self) -> bool:
        """Does the module, its conftest chain or a plugin module import a sync test client?"""
        modules = (self.context.module, *self.context.fixtures.shared_modules)
        return any(
            dotted in SYNC_TEST_CLIENTS or dotted in SYNC_TEST_CLIENT_MODULES
            for module in modules
            for dotted in module.imports.aliases.values()
        )

    def enter_Call(self, node: ast.Call) -> None:
        self._note(node)

    def enter_Assign(self, node: ast.Assign) -> None:
        self._note(node)

    def _note(self, node: ast.AST) -> None:
        making, feeding = may_make_a_client(node, self._client_names), may_feed_an_application(node)
        if making or feeding:
            function = next((f.node for f in self.model.frames_outward() if f.kind is ScopeKind.FUNCTION), None)
            if function is not None:
                (self._may_make if making else self._may_feed).add(function)

    def on_frame_exit(self, frame: Frame) -> None:
        if frame.kind is not ScopeKind.FUNCTION or frame.pytest_role is PytestRole.NONE:
            return
        if frame.node not in self._may_feed and not self._a_fixture_feeds():
            return  # no value reaches an application in this function or any fixture it may get
        collected = self.model.collected_def(frame.node)
        if collected is None:
            return
        definition, classes = collected
        reaches = self._reaches(definition, classes)
        feeds = [(reach, *found) for reach in reaches for found in self._loop_bound_feeds(reach, classes)]
        if not feeds:
            return  # the usual case: nothing loop-bound reaches an application, no client is read
        reported: set[ast.AST] = set()
        for client_reach in reaches:
            for call, app in self._clients(client_reach):
                at = client_reach.at or call
                if at in reported:
                    continue
                for feed_reach, feed, fixture in feeds:
                    if feed.app != app:
                        continue
                    if client_reach.closure is not None and feed_reach.closure is client_reach.closure:
                        continue  # both in the closure of one fixture: reported where that one is made
                    reported.add(at)
                    self._report_finding(frame, at, call, client_reach, feed, fixture)
                    break

    def _reaches(self, definition: Decorated, classes: list[ClassFacts]) -> list[Reach]:
        """The requester's own body, then each fixture it requests with that fixture's closure;
        for a test also its autouse fixtures."""
        fixtures = self.context.fixtures
        own = fixtures.fixture_defined_by(definition)
        reaches = [Reach(definition.node, self.context.module, own, None, None)]
        gets: list[tuple[Fixture, ast.AST]] = []
        for parameter in definition.requested_parameters(is_method=bool(classes)):
            fixture = fixtures.fixture_named(parameter.arg, classes, skip=own)
            if fixture is not None:
                gets.append((fixture, parameter))
        if own is None:
            requested = {fixture.name for fixture, _ in gets}
            autouse = [fixture for fixture in fixtures.autouse_fixtures(classes) if fixture.name not in requested]
            gets += [(fixture, definition.node) for fixture in autouse]
        for fixture, at in gets:
            closure = self._closure(fixture, classes)
            reaches += [Reach(found.node, self._module_of(found), found, closure, at) for found in closure]
        return reaches

    def _loop_bound_feeds(self, reach: Reach, classes: list[ClassFacts]) -> list[tuple[Feed, Fixture]]:
        """The values this function hands to an application that an async fixture made in
        pytest-asyncio's loop and that are bound to it."""
        if reach.module is None or (reach.at is None and reach.function not in self._may_feed):
            return []
        found = []
        for feed in app_feeds(reach.function, reach.module):
            fixture = self.context.fixtures.fixture_named(feed.parameter, classes, skip=reach.fixture)
            if fixture is None or self.context.fixture_loop_scope(fixture) is None:
                continue
            if loop_bound(self.model.fixture_value(fixture)) is not None:
                found.append((feed, fixture))
        return found

    def _clients(self, reach: Reach) -> list[tuple[ast.Call, AppKey]]:
        if reach.module is None or (reach.at is None and reach.function not in self._may_make):
            return []
        return app_clients(reach.function, reach.module)

    def _report_finding(
        self, frame: Frame, at: ast.AST, call: ast.Call, reach: Reach, feed: Feed, fixture: Fixture
    ) -> None:
        what, symptom = loop_bound(self.model.fixture_value(fixture)) or ("", "")
        client = self.model.describe(call)
        if reach.at is not None and reach.fixture is not None:
            client += f" of fixture '{reach.fixture.name}'"
        self.report(
            ATS410,
            at,
            role=frame.pytest_role.value,
            name=frame.name,
            client=client,
            what=what,
            fixture=fixture.name,
            how=feed.how,
            symptom=symptom,
        )

    def _closure(self, fixture: Fixture, classes: list[ClassFacts]) -> list[Fixture]:
        """The fixture and those it requests, theirs too (MAX_DEPTH levels): the definitions
        pytest picks. Not FixtureLookup.fixture_closure, which adds the autouse fixtures and
        every definition of an overridden name (right for silence, wrong for a finding)."""
        found = [fixture]
        level = [fixture]
        for _ in range(MAX_DEPTH):
            following = []
            for requester in level:
                for name in requester.requests:
                    requested = self.context.fixtures.fixture_named(name, classes, skip=requester)
                    if requested is not None and requested not in found:
                        found.append(requested)
                        following.append(requested)
            level = following
        return found

    def _a_fixture_feeds(self) -> bool:
        """Does any fixture the module's tests may get hand a requested value to an application?"""
        if self._fixtures_feed is None:
            self._fixtures_feed = any(
                (module := self._module_of(fixture)) is not None and app_feeds(fixture.node, module)
                for fixture in self.context.fixtures.every_fixture()
            )
        return self._fixtures_feed

    def _module_of(self, fixture: Fixture) -> ModuleFacts | None:
        return self.context.module if fixture.path == self.context.filename else PROJECT.facts_of_file(fixture.path)
