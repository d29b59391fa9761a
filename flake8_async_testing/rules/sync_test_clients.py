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
import functools

from ..inference import source_text
from ..module_facts import ClassFacts, Decorated, Fixture, FunctionNode, ModuleFacts, own_nodes
from ..names import NamesBoundIn, bound_names, keyword, qualified_name, root_name
from ..project import PROJECT
from ..scopes import Frame, PytestRole, ScopeKind
from .base import Code, RuleFamily
from .dependency_overrides import OVERRIDES
from .loop_state import loop_bound

ATS410 = Code(
    "ATS410",
    "{role} '{name}' drives the application through a sync {client}, which runs it in an event loop of its own "
    "in another thread, while the {what} of async fixture '{fixture}' reaches it ({how}): bound to the fixture's "
    "loop, it fails there ({symptom}); use httpx.AsyncClient with ASGITransport in an async test, or make the "
    "value inside the application's loop",
    "a sync TestClient drives an application that holds a loop-bound value made by an async fixture",
)
TEST_CLIENTS = frozenset(
    {
        "starlette.testclient.TestClient",
        "fastapi.testclient.TestClient",
        "litestar.testing.TestClient",
        "litestar.testing.client.TestClient",
        "litestar.testing.client.sync_client.TestClient",
    }
)
"""Sync test clients that run the application in a portal thread's own event loop."""
_CLIENT_MODULES = frozenset(name.rpartition(".")[0] for name in TEST_CLIENTS)
MAX_DEPTH = 4
"""How deep requests of requests are followed."""

AppKey = tuple[str, str]
"""What names an application: ("fixture", name), ("global", dotted name) or ("local", name in a def)."""


@dataclasses.dataclass(frozen=True)
class Feed:
    """A requested fixture's value handed to an application in one function."""

    app: AppKey
    parameter: str
    """The requested fixture whose value it is."""
    how: str
    """Where it goes: `app.dependency_overrides[get_db]`, `app.state.pool`."""


@dataclasses.dataclass
class AppUses:
    """What one function does with applications: clients it makes, values it hands to them."""

    clients: list[tuple[ast.Call, AppKey]] = dataclasses.field(default_factory=list)
    feeds: list[Feed] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Reach:
    """A function the requester runs: its own body, or a fixture of the closure of one fixture
    it gets (a request, or an autouse fixture of a test)."""

    uses: AppUses
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
        self._clients_possible: bool | None = None
        self._client_names = client_names(self.context.module)
        self._marked: set[ast.AST] = set()
        """Functions of this file whose own body may make a client or hand a value to an
        application (seen in the walk): only those are read (app_uses)."""

    def enter_Call(self, node: ast.Call) -> None:
        if self._may_make_clients() and _may_use_an_application(node, self._client_names):
            self._mark()

    def enter_Assign(self, node: ast.Assign) -> None:
        if self._may_make_clients() and _may_use_an_application(node, self._client_names):
            self._mark()

    def _mark(self) -> None:
        for frame in self.model.frames_outward():
            if frame.kind is ScopeKind.FUNCTION:
                self._marked.add(frame.node)
                return

    def on_frame_exit(self, frame: Frame) -> None:
        if frame.kind is not ScopeKind.FUNCTION or frame.pytest_role is PytestRole.NONE:
            return
        if not self._may_make_clients():
            return
        collected = self.model.collected_def(frame.node)
        if collected is None:
            return
        definition, classes = collected
        reaches = self._reaches(definition, classes)
        reported: set[ast.AST] = set()
        for client_reach in reaches:
            for call, app in client_reach.uses.clients:
                at = client_reach.at or call
                if at in reported:
                    continue
                for feed_reach in reaches:
                    if client_reach.closure is not None and feed_reach.closure is client_reach.closure:
                        continue  # both in the closure of one fixture: reported where that one is made
                    found = self._loop_bound_feed(feed_reach, app, classes)
                    if found is not None:
                        reported.add(at)
                        self._report_finding(frame, at, call, client_reach, *found)
                        break

    def _reaches(self, definition: Decorated, classes: list[ClassFacts]) -> list[Reach]:
        """The requester's own body, then each fixture it requests with that fixture's closure;
        for a test also its autouse fixtures."""
        fixtures = self.context.fixtures
        own = fixtures.fixture_defined_by(definition)
        uses = app_uses(definition.node, self.context.module) if definition.node in self._marked else AppUses()
        reaches = [Reach(uses, own, None, None)]
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
            reaches += [Reach(self._uses_of(found), found, closure, at) for found in closure]
        return reaches

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

    def _loop_bound_feed(self, reach: Reach, app: AppKey, classes: list[ClassFacts]) -> tuple[Feed, Fixture] | None:
        """A value of this function that reaches `app`, made by an async fixture pytest-asyncio
        runs in its loop, and bound to that loop."""
        for feed in reach.uses.feeds:
            if feed.app != app:
                continue
            fixture = self.context.fixtures.fixture_named(feed.parameter, classes, skip=reach.fixture)
            if fixture is None or self.context.fixture_loop_scope(fixture) is None:
                continue
            if loop_bound(self.model.fixture_value(fixture)) is not None:
                return feed, fixture
        return None

    def _closure(self, fixture: Fixture, classes: list[ClassFacts]) -> list[Fixture]:
        """The fixture and those it requests, theirs too (MAX_DEPTH levels)."""
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

    def _uses_of(self, fixture: Fixture) -> AppUses:
        module = self.context.module if fixture.path == self.context.filename else PROJECT.facts_of_file(fixture.path)
        return app_uses(fixture.node, module) if module is not None else AppUses()

    def _may_make_clients(self) -> bool:
        """Does the module, its conftest chain or a plugin module import a sync test client?"""
        if self._clients_possible is None:
            modules = (self.context.module, *self.context.fixtures.shared_modules)
            self._clients_possible = any(
                dotted in TEST_CLIENTS or dotted in _CLIENT_MODULES
                for module in modules
                for dotted in module.imports.aliases.values()
            )
        return self._clients_possible


def app_uses(function: FunctionNode, module: ModuleFacts) -> AppUses:
    """The clients a function makes and the requested values it hands to applications, read
    from its tree once per definition."""
    return PROJECT.per_definition("application uses", function, lambda: _read_app_uses(function, module))


def client_names(module: ModuleFacts) -> frozenset[str]:
    """The names a module may call a sync test client by: `TestClient`, and the names its
    imports bind to one (`from fastapi.testclient import TestClient as Client`)."""
    aliases = module.imports.aliases.items()
    return frozenset({"TestClient", *(name for name, dotted in aliases if dotted in TEST_CLIENTS)})


def _may_use_an_application(node: ast.AST, names: frozenset[str]) -> bool:
    """A cheap first look: a call of a client name or of `dependency_overrides.update`, an
    assignment into `dependency_overrides`, onto `state` or to `portal_factory`. What it is
    exactly, _read_app_uses decides."""
    if type(node) is ast.Call:
        func = node.func
        if type(func) is ast.Attribute and func.attr == "update":
            return _owner(func.value, OVERRIDES) is not None
        name = func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else None
        return name in names
    if type(node) is ast.Assign:
        return _sets_portal_factory(node) or any(
            (type(target) is ast.Subscript and _owner(target.value, OVERRIDES) is not None)
            or (type(target) is ast.Attribute and _owner(target.value, "state") is not None)
            for target in node.targets
        )
    return False


def _sets_portal_factory(node: ast.Assign) -> bool:
    """`client.portal_factory = ...`: a client given a portal of the test's own loop, not followed."""
    return any(type(target) is ast.Attribute and target.attr == "portal_factory" for target in node.targets)


def _read_app_uses(function: FunctionNode, module: ModuleFacts) -> AppUses:
    uses = AppUses()
    names = client_names(module)
    candidates = [node for node in own_nodes(function) if _may_use_an_application(node, names)]
    if not candidates:
        return uses
    reader = _AppUseReader(function, module)
    portal_of_its_own = any(isinstance(node, ast.Assign) and _sets_portal_factory(node) for node in candidates)
    for node in candidates:
        if isinstance(node, ast.Call):
            if reader.qualified(node.func) in TEST_CLIENTS and not portal_of_its_own:
                application = node.args[0] if node.args else keyword(node, "app")
                app = reader.app_key(application) if application is not None else None
                if app is not None:
                    uses.clients.append((node, app))
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "update" and node.args:
                application = _owner(node.func.value, OVERRIDES)
                if application is not None and isinstance(node.args[0], ast.Dict):
                    how = source_text(node.func.value)
                    for value in node.args[0].values:
                        uses.feeds += reader.feeds(application, value, how)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and (application := _owner(target.value, OVERRIDES)) is not None:
                    uses.feeds += reader.feeds(application, node.value, source_text(target))
                elif isinstance(target, ast.Attribute) and (application := _owner(target.value, "state")) is not None:
                    uses.feeds += reader.feeds(application, node.value, source_text(target), called=False)
    return uses


class _AppUseReader:
    """Names in one function: which are its parameters, which it binds, which defs it holds
    (one walk of its tree, for NamesBoundIn)."""

    def __init__(self, function: FunctionNode, module: ModuleFacts) -> None:
        self.function = function
        self.module = module
        self.local_names = NamesBoundIn([function])
        arguments = function.args
        self.every_parameter = {arg.arg for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
        self.parameters = self.every_parameter - self.local_names.assigned
        """Parameters that keep what pytest handed in."""
        self.bound = self.local_names.bound - self.parameters

    @functools.cached_property
    def nested(self) -> dict[str, FunctionNode]:
        defs = (node for node in own_nodes(self.function) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))
        return {node.name: node for node in defs}

    def qualified(self, expr: ast.expr) -> str | None:
        return qualified_name(expr, self.module.imports, self.local_names)

    def app_key(self, expr: ast.expr) -> AppKey | None:
        root = root_name(expr)
        if root is None:
            return None
        if isinstance(expr, ast.Name) and root in self.parameters:
            return "fixture", root
        text = source_text(expr)
        if root in self.bound or root in self.every_parameter:
            return "local", f"{id(self.function)}:{text}"
        return "global", self.qualified(expr) or f"{self.module.path}:{text}"

    def feeds(self, application: ast.expr, value: ast.expr, how: str, called: bool = True) -> list[Feed]:
        """The requested values `value` hands over: itself (`app.state.pool = pool`), or what an
        override gives when called (`lambda: pool`, a nested def that returns or yields it)."""
        app = self.app_key(application)
        if app is None:
            return []
        return [Feed(app, parameter, how) for parameter in self._handed(value, called)]

    def _handed(self, value: ast.expr, called: bool) -> list[str]:
        if not called:
            return [value.id] if isinstance(value, ast.Name) and value.id in self.parameters else []
        if isinstance(value, ast.Lambda):
            shadowed = bound_names(value)
            body = value.body
            return [body.id] if isinstance(body, ast.Name) and body.id in self.parameters - shadowed else []
        if isinstance(value, ast.Name) and value.id in self.nested:
            nested = self.nested[value.id]
            shadowed = bound_names(nested)
            return [
                node.value.id
                for node in own_nodes(nested)
                if isinstance(node, (ast.Return, ast.Yield))
                and isinstance(node.value, ast.Name)
                and node.value.id in self.parameters - shadowed
            ]
        return []


def _owner(expr: ast.expr, attribute: str) -> ast.expr | None:
    """`app` of `app.<attribute>`, else None."""
    return expr.value if isinstance(expr, ast.Attribute) and expr.attr == attribute else None
