"""Which mock an expression is, and what a patch replaces: the mock part of the semantic model.

A mock is known where the code shows how it was made: a Mock / MagicMock / AsyncMock call and
its arguments, `patch(...)` and its `new` / `new_callable` / spec, `mocker.patch`, a path from a
name holding one (`m.child.return_value`). A patch target is "async" when it names a coroutine
function or method the plugin knows (`patch()` gives an AsyncMock only for an `async def`).
What code later sets on mocks is mock_setup.py's business.
"""

from __future__ import annotations

import ast
import os
from typing import Callable

from .context import FileContext
from .inference import THIS_MODULE, Inference, describe
from .mock_api import (
    CONFIGURING_KEYWORDS,
    MOCK_OBJECT_FACTORIES,
    MOCKER_FIXTURES,
    PATCH_APIS,
    PLAIN_MOCK_KEYWORDS,
    SPEC_KEYWORDS,
    SYNC_MOCK_CLASSES,
    mock_api_of,
    patch_replacement,
)
from .names import RETURN, keyword, path_of, root_name
from .project import PROJECT
from .module_facts import Decorated
from .scopes import Scopes
from .values import ASYNC, SYNC, UNKNOWN, MockKind, MockValue, Value


class Mocks:
    """The mocks of one file, as the walk stands."""

    def __init__(self, scopes: Scopes, context: FileContext, inference: Inference) -> None:
        self.scopes = scopes
        self.context = context
        self.inference = inference

    def mock_api(self, func: ast.expr | None) -> str | None:
        """`Mock`, `MagicMock`, `AsyncMock`, `create_autospec`, `patch`, `patch.object`, ...
        for the unittest.mock / mock / pytest-mock spelling of a callee, else None."""
        return mock_api_of(func, self.scopes.qualified_name)

    def mock_of(self, expr: ast.expr | None, lookup: Callable[[str], Value | None] | None = None) -> Value | None:
        """The mock an expression evaluates to (a call of a mock class or `mocker.patch`, or a
        path from a name: `m.child.return_value`), or None if it is not one the plugin knows.
        A path from an object that is no mock gives what was set on it (a plain `Value`)."""
        if isinstance(expr, ast.Call):
            if root_name(expr.func) not in self.scopes.mock_roots:
                return None
            api = self.mock_api(expr.func)
            if api in SYNC_MOCK_CLASSES:
                return _made_mock(self.configured_kind(expr, SYNC_MOCK_CLASSES[api]), api, expr)
            if api == "AsyncMock":
                configured = expr.args or any(
                    keyword.arg not in PLAIN_MOCK_KEYWORDS | CONFIGURING_KEYWORDS for keyword in expr.keywords
                )
                # a spec's sync methods stay sync; `AsyncMock(release=Mock())` has a sync child
                return MockValue(UNKNOWN if configured else ASYNC, "" if configured else "AsyncMock", "AsyncMock", expr)
            if api == "async_stub":  # pytest-mock: `AsyncMock(spec=lambda *args, **kwargs: None)`
                return MockValue(ASYNC, "AsyncMock", "AsyncMock", expr)
            if api in ("create_autospec", "stub"):
                return MockValue(UNKNOWN, "", None, expr)
            if api in PATCH_APIS and isinstance(expr.func, ast.Attribute) and root_name(expr.func) in MOCKER_FIXTURES:
                return self.patched_mock(expr)
            return None
        root, path = path_of(expr) if expr is not None else (None, ())
        if root is None:
            return None
        holder = (lookup or self.inference.value_of_name)(root)
        kind = holder.kind_at(path) if holder is not None else None
        if kind is None:
            return None
        return holder if not path else MockValue(kind[0], kind[1])

    def mock_kind(self, expr: ast.expr | None) -> MockKind | None:
        """(kind, class name) of the mock an expression is, or None."""
        mock = self.mock_of(expr)
        return mock.kind_at(()) if mock is not None else None

    def configured_kind(self, call: ast.Call, class_name: str, spec_may_be_positional: bool = True) -> MockKind:
        """A sync mock class called with these arguments (a Mock constructor, or a patch call
        whose keywords go to new_callable): `unknown` when a spec or a possibly awaitable
        return value / side effect is given."""
        for argument in call.keywords:
            if argument.arg == RETURN:
                if not self.surely_not_awaitable(argument.value):
                    return UNKNOWN, ""
            elif argument.arg not in PLAIN_MOCK_KEYWORDS:
                return UNKNOWN, ""  # a side effect, a spec, or `Mock(get=AsyncMock())` configuring a child
        if spec_may_be_positional and call.args:  # Mock(spec)
            return UNKNOWN, ""
        return SYNC, class_name

    def surely_not_awaitable(self, value: ast.expr) -> bool:
        """A return value awaiting cannot use: a literal, or a mock object (no mock class
        supports `__await__`: even an AsyncMock is only awaitable once called)."""
        if isinstance(value, (ast.Constant, ast.List, ast.Dict, ast.Tuple, ast.Set, ast.JoinedStr)):
            return True
        return isinstance(value, ast.Call) and self.mock_api(value.func) in MOCK_OBJECT_FACTORIES

    def is_injecting_patch(self, decorator: ast.expr) -> bool:
        """A `@patch(...)` decorator that hands the test the mock it makes."""
        if not isinstance(decorator, ast.Call):
            return False
        api = self.mock_api(decorator.func)
        if api not in PATCH_APIS:
            return False
        return patch_replacement(decorator, is_object=api.endswith("object")) is None

    def patched_mock(self, call: ast.Call) -> MockValue:
        """The mock `patch(...)` puts in place (and hands to `as`, the test, or returns)."""
        api = self.mock_api(call.func) or "patch"
        replacement = patch_replacement(call, is_object=api.endswith("object"))
        if replacement is not None:
            made = self.mock_of(replacement)
            if isinstance(made, MockValue):
                return made
            kind = made.kind_at(()) if made is not None else None
            return MockValue(*(kind or (UNKNOWN, "")))
        new_callable = keyword(call, "new_callable")
        if new_callable is not None:
            created = self.mock_api(new_callable)
            if created in SYNC_MOCK_CLASSES:
                kind = self.configured_kind(call, SYNC_MOCK_CLASSES[created], spec_may_be_positional=False)
                return _made_mock(kind, created, call)
            if created == "AsyncMock":
                return MockValue(ASYNC, "AsyncMock", "AsyncMock", call)
            return MockValue(UNKNOWN, "", None, call)
        if any(argument.arg in SPEC_KEYWORDS for argument in call.keywords):
            return MockValue(UNKNOWN, "", None, call)
        if self.async_patch_target(call, api, async_def=True):
            return MockValue(ASYNC, "AsyncMock", "AsyncMock", call)
        return MockValue(UNKNOWN, "", None, call)

    # -- patch targets ------------------------------------------------------------------------

    def async_patch_target(self, call: ast.Call, api: str, async_def: bool = False) -> str | None:
        """The patched target's name if it is a known coroutine function or method (with
        `async_def`: an `async def`, which `patch()` replaces with an AsyncMock)."""
        constant_string = self.inference.constant_string
        if api == "patch":
            target = constant_string(call.args[0] if call.args else keyword(call, "target"))
            return self.async_dotted_target(target, async_def) if target else None
        if len(call.args) < 2:
            return None
        attribute = constant_string(call.args[1])
        return self.async_attribute(call.args[0], attribute, async_def) if attribute else None

    def async_dotted_target(self, target: str, async_def: bool = False) -> str | None:
        """A patch target spelled as a dotted name, if it names a coroutine function or method;
        `__name__ + ".fetch"` names one of this module (THIS_MODULE marks it)."""
        if not target.startswith(THIS_MODULE):
            return target if self.context.coroutine_resolver.is_coroutine_function(target, async_def) else None
        module = self.context.module
        parts = target[len(THIS_MODULE) :].split(".")
        definition: Decorated | None = None
        if len(parts) == 1:
            definition = module.top_level_functions.get(parts[0])
        elif len(parts) == 2 and parts[0] in module.class_by_name:
            definition = PROJECT.method(module, module.class_by_name[parts[0]], parts[1], self.context.search_roots)
        if definition is None or not definition.is_coroutine_function:
            return None
        return ".".join([os.path.splitext(os.path.basename(self.context.filename))[0], *parts])

    def async_attribute(self, owner: ast.expr, attribute: str, async_def: bool = False) -> str | None:
        """`owner.attribute` is a coroutine function or method (owner: a class or module); with
        `async_def`, an `async def`."""
        module = self.context.module
        if isinstance(owner, ast.Name) and owner.id in module.class_by_name and not self.scopes.is_local(owner.id):
            definition = PROJECT.method(module, module.class_by_name[owner.id], attribute, self.context.search_roots)
            return f"{owner.id}.{attribute}" if definition is not None and definition.is_coroutine_function else None
        resolver = self.context.coroutine_resolver
        qualified = self.scopes.qualified_name(owner)
        if qualified is not None:
            target = f"{qualified}.{attribute}"
            return target if resolver.is_coroutine_function(target, async_def) else None
        owner_type = self.inference.type_of(owner)
        if owner_type is not None and resolver.method_is_coroutine(owner_type, attribute, async_def):
            return f"{describe(owner)}.{attribute}"
        return None


def _made_mock(kind: MockKind, api: str, source: ast.AST) -> MockValue:
    return MockValue(kind[0], kind[1], api, source)
