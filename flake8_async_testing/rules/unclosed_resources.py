"""ATS106: a fixture hands over an async resource it made and never closes.

An aiohttp `ClientSession`, an `AsyncEngine` (`create_async_engine`) or an `httpx.AsyncClient`
on the network transport (not ASGITransport or MockTransport, which hold no socket, and not in
a suite that mocks the transport with respx or pytest-httpx) made in a fixture that
runs more than once a session (not session-scoped), and returned (a return leaves nowhere to
close it), or yielded with nothing closing it: not made by `async with`, no `close()` /
`aclose()` / `dispose()` of it, no finalizer or exit stack, not handed to any other call. Its
connections outlive the test ("Unclosed client session", ResourceWarning, a pool exhausted
later). Wherever something may close it, the rule stays silent.
"""

from __future__ import annotations

import ast

from ..libraries import (
    AIOHTTP_SESSION,
    ASYNC_ENGINE,
    HTTPX_ASYNC_CLIENT,
    HTTPX_NETWORK_TRANSPORTS,
    HTTPX_TRANSPORT_MOCKS,
    engine_without_pool,
)
from ..module_facts import within_lines
from ..names import keyword
from ..project import PROJECT
from ..scopes import Frame, PytestRole
from ..values import Binding, Instance
from .base import Code, RuleFamily

ATS106 = Code(
    "ATS106",
    "fixture '{name}' {how} the {what} made by '{call}' and nothing closes it: its connections outlive the test "
    "({symptom}); make it with 'async with', or close it after the yield",
    "a fixture returns, or yields and never closes, an aiohttp ClientSession, AsyncEngine or httpx AsyncClient it made",
)
RESOURCES = {
    AIOHTTP_SESSION: ("aiohttp ClientSession", "'Unclosed client session', a ResourceWarning"),
    ASYNC_ENGINE: ("AsyncEngine", "its pooled connections are deleted unclosed, a ResourceWarning"),
    HTTPX_ASYNC_CLIENT: (
        "httpx AsyncClient",
        "once it has made a request, its kept-alive connections are deleted unclosed: 'unclosed transport', "
        "a ResourceWarning",
    ),
}
"""Resources by run-time evidence (tests/test_resource_premises.py), each with its symptom."""
CLOSING_METHODS = frozenset({"close", "aclose", "dispose"})
TRANSPORT_MOCKS = "|".join(HTTPX_TRANSPORT_MOCKS).encode()
EXIT_NAMES = frozenset({"addfinalizer", "AsyncExitStack", "ExitStack", "enter_async_context", "enter_context"})
"""Names in a fixture after which something else may close what it made."""


class UnclosedResources(RuleFamily):
    codes = (ATS106,)

    def enter_Return(self, node: ast.Return) -> None:
        self._check(node.value, "returns")

    def enter_Yield(self, node: ast.Yield) -> None:
        self._check(node.value, "yields")

    def _check(self, value: ast.expr | None, how: str) -> None:
        frame = self.model.statement_frame
        if value is None or frame.pytest_role is not PytestRole.FIXTURE or not self._made_for_each_use(frame):
            return
        made = self._made_here(value, frame.node, frame.bindings)
        if made is None:
            return
        resource, call = made
        name = value.id if isinstance(value, ast.Name) else None
        if _may_be_closed(frame.node, name):
            return
        what, symptom = RESOURCES[resource]
        describe = self.model.describe(call)
        self.report(ATS106, value, name=frame.name, how=how, what=what, call=describe, symptom=symptom)

    def _made_for_each_use(self, frame: Frame) -> bool:
        """A fixture pytest runs more than once a session (function, class, module or package
        scope, as written): each run leaves another resource open. A session-scoped one leaves
        one, found at exit; a computed scope is not followed."""
        collected = self.model.collected_def(frame.node)
        fixture = self.context.fixtures.fixture_defined_by(collected[0]) if collected is not None else None
        return fixture is not None and fixture.scope in ("function", "class", "module", "package")

    def _made_here(
        self, value: ast.expr, function: ast.AST, bindings: dict[str, Binding]
    ) -> tuple[str, ast.Call] | None:
        """(resource type, the call that made it) when `value` is such a resource made by a call
        in this fixture's own body (bound there by a plain assignment, not `async with`)."""
        if isinstance(value, ast.Name):
            binding = bindings.get(value.id)
            if binding is None or not isinstance(binding.node, (ast.Assign, ast.AnnAssign)):
                return None
        made = self.model.value_of(value)
        if not isinstance(made, Instance) or made.type_name not in RESOURCES:
            return None
        source = made.source
        if not isinstance(source, ast.Call) or not within_lines(source, function):
            return None  # made at module level, or by another fixture
        if engine_without_pool(source):
            return None  # no pool: each connection is closed as it is given back
        if made.type_name == HTTPX_ASYNC_CLIENT and not self._opens_sockets(source):
            return None
        return made.type_name, source

    def _opens_sockets(self, client: ast.Call) -> bool:
        """An httpx.AsyncClient on httpx's own network transport (no `transport=`, or an
        AsyncHTTPTransport; no `app=` or `mounts=`), in a suite that does not replace the transport (no
        respx or pytest-httpx named in the module, its folder and below, or its conftests)."""
        transport = keyword(client, "transport")
        if keyword(client, "app") is not None or keyword(client, "mounts") is not None:
            return False  # an ASGI app, or transports of its own for some URLs
        if transport is not None and not (
            isinstance(transport, ast.Call) and self.model.qualified_name(transport.func) in HTTPX_NETWORK_TRANSPORTS
        ):
            return False
        context = self.context
        if any(
            dotted.partition(".")[0] in HTTPX_TRANSPORT_MOCKS
            for module in (context.module, *context.fixtures.shared_modules)
            for dotted in module.imports.aliases.values()
        ):
            return False
        return not PROJECT.files_below_match(str(context.path.parent), TRANSPORT_MOCKS)


def _may_be_closed(function: ast.AST, name: str | None) -> bool:
    """Does anything in the fixture close what `name` holds, or may it: its close(), aclose() or
    dispose(), a finalizer or exit stack, or the name handed to any call?"""
    for node in ast.walk(function):
        if isinstance(node, (ast.Name, ast.Attribute)):
            text = node.id if isinstance(node, ast.Name) else node.attr
            if text in EXIT_NAMES:
                return True
        if name is None or not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in CLOSING_METHODS and _names(func.value, name):
            return True
        if any(_names(argument, name) for argument in (*node.args, *(keyword.value for keyword in node.keywords))):
            return True
    return False


def _names(expr: ast.expr, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name for node in ast.walk(expr))
