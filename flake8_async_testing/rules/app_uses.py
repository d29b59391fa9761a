"""What a test's or fixture's own body does with web applications (ATS410), read from its tree
once per definition: the sync test clients it makes for an application, and the values of its
requested fixtures it hands to one (`app.dependency_overrides[dep] = lambda: value`, an override
function that returns or yields it, `.update({...})`, `app.state.name = value`). An application
is named by an AppKey: the fixture that gives it, the module-level name or import it is, or a
name of the function. A first look over the body's own nodes (`may_make_a_client`,
`may_feed_an_application`, also what the walk asks) decides whether anything more is read.
"""

from __future__ import annotations

import ast
import dataclasses
import functools

from ..inference import source_text
from ..libraries import SYNC_TEST_CLIENTS
from ..module_facts import FunctionNode, ModuleFacts, own_nodes
from ..names import NamesBoundIn, attribute_owner, bound_names, keyword, qualified_name, root_name
from ..project import PROJECT
from .dependency_overrides import OVERRIDES

STATE = "state"
"""Starlette's and litestar's `app.state`: what the application's code reads at run time."""

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


def client_names(module: ModuleFacts) -> frozenset[str]:
    """The names a module may call a sync test client by: `TestClient`, and the names its
    imports bind to one (`from fastapi.testclient import TestClient as Client`)."""
    aliases = module.imports.aliases.items()
    return frozenset({"TestClient", *(name for name, dotted in aliases if dotted in SYNC_TEST_CLIENTS)})


def may_make_a_client(node: ast.AST, names: frozenset[str]) -> bool:
    """A first look: a call of a client name, or `client.portal_factory = ...`."""
    if type(node) is ast.Call:
        func = node.func
        return (func.attr if type(func) is ast.Attribute else func.id if type(func) is ast.Name else None) in names
    return type(node) is ast.Assign and _sets_portal_factory(node)


def may_feed_an_application(node: ast.AST) -> bool:
    """A first look: `dependency_overrides.update(...)`, an assignment into
    `dependency_overrides` or onto `state`."""
    if type(node) is ast.Call:
        func = node.func
        return type(func) is ast.Attribute and func.attr == "update" and _overridden(func.value) is not None
    if type(node) is ast.Assign:
        return any(
            (type(target) is ast.Subscript and _overridden(target.value) is not None)
            or (type(target) is ast.Attribute and attribute_owner(target.value, STATE) is not None)
            for target in node.targets
        )
    return False


def app_clients(function: FunctionNode, module: ModuleFacts) -> list[tuple[ast.Call, AppKey]]:
    """The sync test clients the function's own body makes, with the application of each; none
    where it sets `portal_factory` (a portal of the test's own loop: not followed)."""
    return PROJECT.per_definition("test clients", function, lambda: _read_clients(function, module))


def app_feeds(function: FunctionNode, module: ModuleFacts) -> list[Feed]:
    """The values of requested fixtures the function's own body hands to applications."""
    return PROJECT.per_definition("application feeds", function, lambda: _read_feeds(function, module))


def _read_clients(function: FunctionNode, module: ModuleFacts) -> list[tuple[ast.Call, AppKey]]:
    names = client_names(module)
    candidates = [node for node in own_nodes(function) if may_make_a_client(node, names)]
    if not candidates or any(isinstance(node, ast.Assign) for node in candidates):
        return []  # nothing, or a portal of its own
    reader = _names_in(function, module)
    clients = []
    for call in candidates:
        if isinstance(call, ast.Call) and reader.qualified(call.func) in SYNC_TEST_CLIENTS:
            application = call.args[0] if call.args else keyword(call, "app")
            app = reader.app_key(application) if application is not None else None
            if app is not None:
                clients.append((call, app))
    return clients


def _read_feeds(function: FunctionNode, module: ModuleFacts) -> list[Feed]:
    candidates = [node for node in own_nodes(function) if may_feed_an_application(node)]
    if not candidates:
        return []
    reader = _names_in(function, module)
    feeds: list[Feed] = []
    for node in candidates:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            application = _overridden(node.func.value)
            if application is not None and isinstance(node.args[0], ast.Dict):
                how = source_text(node.func.value)
                for value in node.args[0].values:
                    feeds += reader.feeds(application, value, how)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and (application := _overridden(target.value)) is not None:
                    feeds += reader.feeds(application, node.value, source_text(target))
                elif isinstance(target, ast.Attribute) and (application := attribute_owner(target.value, STATE)):
                    feeds += reader.feeds(application, node.value, source_text(target), called=False)
    return feeds


def _names_in(function: FunctionNode, module: ModuleFacts) -> _Names:
    return PROJECT.per_definition("names of application uses", function, lambda: _Names(function, module))


class _Names:
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


def _sets_portal_factory(node: ast.Assign) -> bool:
    return any(type(target) is ast.Attribute and target.attr == "portal_factory" for target in node.targets)


def _overridden(expr: ast.expr) -> ast.expr | None:
    """The application of `app.dependency_overrides`, else None."""
    return attribute_owner(expr, OVERRIDES)
