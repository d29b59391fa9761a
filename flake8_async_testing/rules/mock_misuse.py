"""ATS5xx: a sync Mock where an AsyncMock is needed.

`await` on what a `Mock` / `MagicMock` returns raises "object MagicMock can't be used in
'await' expression"; an async function patched with one breaks the code under test the same
way; `assert_called*` on an `AsyncMock` passes although nothing awaited it; a mock whose
return value is one coroutine object fails on the second await. Mocks are followed through
names, attributes and `return_value` chains, `with patch(...) as m`, `@patch` arguments,
`mocker`, and fixtures of the module that return one. Anything configured in a way the plugin
cannot see through (a spec, a computed return value or side effect) keeps the rules silent.
"""

from __future__ import annotations

import ast
import dataclasses

from ..names import keyword as keyword_value
from ..names import literal_string, patch_replacement, root_name
from ..pytest_model import Fixture, own_nodes
from ..scopes import SETUP_METHODS, Frame
from .base import Code, RuleFamily

ATS501 = Code(
    "ATS501",
    "'{call}' is a {kind} and its result is awaited: TypeError \"object {kind} can't be used in 'await' "
    'expression"; use AsyncMock (or give it an async spec)',
    "await on a call of a sync Mock / MagicMock",
)
ATS502 = Code(
    "ATS502",
    "async '{target}' is replaced by a sync {kind}: the code under test awaits it and fails with \"object {kind} "
    "can't be used in 'await' expression\"; use AsyncMock, or patch() without new / new_callable",
    "an async function or method patched with a sync Mock / MagicMock",
)
ATS503 = Code(
    "ATS503",
    "'{call}' on AsyncMock '{mock}' passes even if it was never awaited; use the matching "
    "assert_awaited* (assert_awaited_once_with, ...)",
    "assert_called* on an AsyncMock",
)
ATS504 = Code(
    "ATS504",
    "mock returns the coroutine object '{call}(...)': the first await uses it up and the next fails with "
    "'cannot reuse already awaited coroutine'; use AsyncMock(return_value=<the value>)",
    "a mock whose return_value is a coroutine object",
)

SYNC_MOCK_CLASSES = {
    "Mock": "Mock",
    "MagicMock": "MagicMock",
    "NonCallableMock": "Mock",
    "NonCallableMagicMock": "MagicMock",
}
MOCK_MODULES = ("unittest.mock.", "mock.")
SPEC_KEYWORDS = frozenset({"spec", "spec_set", "autospec", "wraps"})
PLAIN_MOCK_KEYWORDS = frozenset({"name", "unsafe", "target", "create", "new_callable"})
"""Keywords of a Mock constructor, or of a patch call passing them on, that configure nothing
the rules care about (`target` and `create` belong to patch itself)."""
MOCK_OBJECT_FACTORIES = frozenset({*SYNC_MOCK_CLASSES, "AsyncMock", "create_autospec"})
RECONFIGURING_METHODS = frozenset({"configure_mock", "attach_mock", "mock_add_spec", "__setattr__"})
CONFIGURING_KEYWORDS = frozenset({"return_value", "side_effect"})
CALLED_ASSERTIONS = frozenset(
    {
        "assert_called",
        "assert_called_once",
        "assert_called_with",
        "assert_called_once_with",
        "assert_any_call",
        "assert_has_calls",
    }
)
AWAITED_CHECKS = frozenset(
    {
        "assert_awaited",
        "assert_awaited_once",
        "assert_awaited_with",
        "assert_awaited_once_with",
        "assert_any_await",
        "assert_has_awaits",
        "assert_not_awaited",
        "await_count",
        "await_args",
        "await_args_list",
    }
)
RETURN = "return_value"
SYNC, ASYNC, UNKNOWN = "sync", "async", "unknown"


@dataclasses.dataclass
class MockBinding:
    """What a name holds: a mock of some kind, with what was configured on it since."""

    kind: str
    """`sync` (Mock / MagicMock without spec), `async` (AsyncMock) or `unknown`."""
    class_name: str = "MagicMock"
    rebound: dict[tuple[str, ...], tuple[str, str]] = dataclasses.field(default_factory=dict)
    """Attribute paths set to another object: path -> (kind, class name)."""
    configured: set[tuple[str, ...]] = dataclasses.field(default_factory=set)
    """Paths whose return_value / side_effect was set to something that may be awaitable."""
    is_mock: bool = True
    """False for a real object some of whose attributes were set to mocks."""

    def kind_at(self, path: tuple[str, ...]) -> tuple[str, str]:
        """The kind of the mock reached by an attribute / call path from this one."""
        if any(_is_mock_internal(part) for part in path):
            return UNKNOWN, ""
        if path in self.configured:
            return UNKNOWN, ""  # calling it returns whatever was configured
        for length in range(len(path)):
            if path[length] == RETURN and path[:length] in self.configured:
                return UNKNOWN, ""  # its return value was replaced by something else
        for length in range(len(path), 0, -1):
            if path[:length] in self.rebound:
                return self.rebound[path[:length]]
        return self.kind, self.class_name


class MockScope:
    """What one scope knows of mocks: its bindings, and the called-assertions waiting for the
    end of the function to know whether the test checks awaiting some other way."""

    __slots__ = ("bindings", "called_assertions", "awaited_checks")

    def __init__(self) -> None:
        self.bindings: dict[str, MockBinding] = {}
        self.called_assertions: list[tuple[ast.Call, str, tuple[str, ...], str]] = []
        self.awaited_checks: set[tuple[str, tuple[str, ...]]] = set()


def _is_mock_internal(attribute: str) -> bool:
    """The mock's own API or a magic method, not a child mock standing in for a method."""
    return (
        attribute.startswith(("assert_", "_mock_"))
        or (attribute.startswith("__") and attribute.endswith("__"))
        or attribute in ("configure_mock", "reset_mock", "attach_mock", "mock_add_spec")
    )


def _is_literal(node: ast.expr | None) -> bool:
    """A value that surely is not awaitable: a constant, a container or f-string."""
    return isinstance(node, (ast.Constant, ast.List, ast.Dict, ast.Tuple, ast.Set, ast.JoinedStr))


class MockMisuse(RuleFamily):
    codes = (ATS501, ATS502, ATS503, ATS504)
    uses_scopes = True

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.imports = self.context.module.imports
        self._fixture_mocks: dict[ast.AST, MockBinding | None] = {}
        self._setup_mocks: dict[ast.AST, dict[str, MockBinding]] = {}
        self._mock_roots = {
            name for name, target in self.imports.aliases.items() if target.startswith(("unittest", "mock"))
        }
        self._mock_roots.add("mocker")

    # -- per-scope state, kept on the tracker's frames ----------------------------------------

    def _scope(self, frame: Frame | None = None) -> MockScope:
        return (frame or self.scopes.frame).slot("mocks", MockScope)

    def enter_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_function(node)

    def enter_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_function(node)

    def on_scope_exit(self, frame: Frame) -> None:
        """ATS503 is decided when the function ends: a later assert_awaited* on the same mock,
        or `await_count`, means the test checks awaiting after all."""
        state = frame.slots.get("mocks")
        if state is None or not frame.may_await:
            return  # nothing here can await the mock: a call is all there is to assert
        for call, root, path, assertion in state.called_assertions:
            if (root, path) not in state.awaited_checks:
                self.report(ATS503, call, call=assertion, mock=".".join((root, *path)))

    def _enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        definition = self.context.module.functions.get(node)
        if definition is None:
            return
        collected = self.context.collected_def(node, self.walk.scopes)
        if definition.injected_mock_arguments:
            parameters = definition.node.args.posonlyargs + definition.node.args.args
            if collected is not None and collected[1] and not definition.is_staticmethod:
                parameters = parameters[1:]
            patches = [decorator for decorator in node.decorator_list if self._is_injecting_patch(decorator)]
            for parameter, decorator in zip(parameters, reversed(patches)):
                kind, class_name = self._patched_mock(decorator)  # type: ignore[arg-type]
                self._scope().bindings[parameter.arg] = MockBinding(kind, class_name)
        if collected is None:
            return
        classes = collected[1]
        module_fixtures = self.context.module.fixtures
        for parameter in definition.requested_parameters(is_method=bool(classes)):
            if parameter.arg not in module_fixtures and not any(parameter.arg in cls.fixtures for cls in classes):
                continue
            fixture = self.context.fixture_named(parameter.arg, classes)
            if fixture is not None and fixture.path == self.context.filename:
                provided = self._fixture_mock(fixture)
                if provided is not None:
                    self._scope().bindings[parameter.arg] = provided

    # -- what an expression is --------------------------------------------------------------

    def mock_api(self, func: ast.expr) -> str | None:
        """`Mock`, `MagicMock`, `AsyncMock`, `create_autospec`, `patch`, `patch.object`, ...
        for the unittest.mock / mock / pytest-mock spelling of a callee, else None."""
        qualified = self.imports.qualified_name(func)
        if qualified is not None and not self.scopes.is_local(root_name(func)):
            for module in MOCK_MODULES:
                if qualified.startswith(module):
                    return qualified[len(module) :]
            return None
        parts: list[str] = []
        while isinstance(func, ast.Attribute):
            parts.append(func.attr)
            func = func.value
        if isinstance(func, ast.Name) and func.id == "mocker" and parts:
            return ".".join(reversed(parts))
        return None

    def mock_of(self, expr: ast.expr | None, lookup=None) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
        """(kind, class name) of the mock an expression evaluates to, or None if it is not
        one the plugin knows."""
        if isinstance(expr, ast.Call):
            if root_name(expr.func) not in self._mock_roots:
                return None
            api = self.mock_api(expr.func)
            if api in SYNC_MOCK_CLASSES:
                return self._configured_kind(expr, SYNC_MOCK_CLASSES[api])
            if api == "AsyncMock":
                configured = expr.args or any(
                    keyword.arg not in PLAIN_MOCK_KEYWORDS | CONFIGURING_KEYWORDS for keyword in expr.keywords
                )
                # a spec's sync methods stay sync; `AsyncMock(release=Mock())` has a sync child
                return (UNKNOWN, "") if configured else (ASYNC, "AsyncMock")
            if api in ("create_autospec", "stub", "async_stub"):
                return UNKNOWN, ""
            if (
                api in ("patch", "patch.object")
                and isinstance(expr.func, ast.Attribute)
                and root_name(expr.func) == "mocker"
            ):
                return self._patched_mock(expr)
            return None
        root, path = _path_of(expr)
        if root is None:
            return None
        binding = (lookup or self.binding)(root)
        return binding.kind_at(path) if binding is not None else None

    def _configured_kind(self, call: ast.Call, class_name: str, spec_may_be_positional: bool = True) -> tuple[str, str]:
        """A sync mock class called with these arguments (a Mock constructor, or a patch call
        whose keywords go to new_callable): `unknown` when a spec or a possibly awaitable
        return value / side effect is given."""
        for keyword in call.keywords:
            if keyword.arg == RETURN:
                if not self._surely_not_awaitable(keyword.value):
                    return UNKNOWN, ""
            elif keyword.arg not in PLAIN_MOCK_KEYWORDS:
                return UNKNOWN, ""  # a side effect, a spec, or `Mock(get=AsyncMock())` configuring a child
        if spec_may_be_positional and call.args:  # Mock(spec)
            return UNKNOWN, ""
        return SYNC, class_name

    def _surely_not_awaitable(self, value: ast.expr) -> bool:
        """A return value awaiting cannot use: a literal, or a mock object (no mock class
        supports `__await__`: even an AsyncMock is only awaitable once called)."""
        if _is_literal(value):
            return True
        return isinstance(value, ast.Call) and self.mock_api(value.func) in MOCK_OBJECT_FACTORIES

    def _is_injecting_patch(self, decorator: ast.expr) -> bool:
        if not isinstance(decorator, ast.Call):
            return False
        api = self.mock_api(decorator.func)
        if api not in ("patch", "patch.object"):
            return False
        return patch_replacement(decorator, is_object=api.endswith("object")) is None

    def _patched_mock(self, call: ast.Call) -> tuple[str, str]:
        """The mock `patch(...)` puts in place (and hands to `as`, the test, or returns)."""
        api = self.mock_api(call.func) or "patch"
        replacement = patch_replacement(call, is_object=api.endswith("object"))
        if replacement is not None:
            return self.mock_of(replacement) or (UNKNOWN, "")
        new_callable = keyword_value(call, "new_callable")
        if new_callable is not None:
            created = self.mock_api(new_callable)
            if created in SYNC_MOCK_CLASSES:
                return self._configured_kind(call, SYNC_MOCK_CLASSES[created], spec_may_be_positional=False)
            return (ASYNC, "AsyncMock") if created == "AsyncMock" else (UNKNOWN, "")
        if any(keyword.arg in SPEC_KEYWORDS for keyword in call.keywords):
            return UNKNOWN, ""
        return (ASYNC, "AsyncMock") if self._async_target(call, api) else (UNKNOWN, "")

    def _async_target(self, call: ast.Call, api: str) -> str | None:
        """The patched target's name if it is a known coroutine function or method."""
        if api == "patch":
            target = literal_string(call.args[0] if call.args else keyword_value(call, "target"))
            if target and self.context.coroutine_resolver.is_coroutine_function(target):
                return target
            return None
        if len(call.args) < 2:
            return None
        attribute = literal_string(call.args[1])
        return self._async_attribute(call.args[0], attribute) if attribute else None

    def _async_attribute(self, owner: ast.expr, attribute: str) -> str | None:
        """`owner.attribute` is a coroutine function or method (owner: a class or module)."""
        resolver = self.context.coroutine_resolver
        module = self.context.module
        if isinstance(owner, ast.Name) and owner.id in module.class_by_name and not self.scopes.is_local(owner.id):
            definition = resolver.method_of(module, module.class_by_name[owner.id], attribute)
            return f"{owner.id}.{attribute}" if definition is not None and definition.is_coroutine_function else None
        qualified = self.imports.qualified_name(owner)
        if qualified is not None and not self.scopes.is_local(root_name(owner)):
            target = f"{qualified}.{attribute}"
            return target if resolver.is_coroutine_function(target) else None
        owner_type = self.scopes.type_of(owner)
        if owner_type is not None and resolver.method_is_coroutine(owner_type, attribute):
            return f"{self.scopes.describe(owner)}.{attribute}"
        return None

    def binding(self, name: str) -> MockBinding | None:
        for frame in reversed(self.scopes.frames):
            state = frame.slots.get("mocks")
            if state is not None and name in state.bindings:
                return state.bindings[name]
        if name == "self":
            return self._class_attributes().get("self")
        return None

    def _binding_to_update(self, name: str) -> MockBinding | None:
        """The binding an assignment may change: a test method changing what setUp put on
        `self` gets its own copy, so the next test still sees setUp's."""
        binding = self.binding(name)
        if binding is None or name != "self" or self._in_setup() or self._bound_in_a_scope(name):
            return binding
        if not self._in_test():
            return binding  # a helper method: the caller taints setUp's mock for every test
        copy = MockBinding(
            binding.kind, binding.class_name, dict(binding.rebound), set(binding.configured), binding.is_mock
        )
        self._scope().bindings[name] = copy
        return copy

    def _bound_in_a_scope(self, name: str) -> bool:
        return any(name in frame.slots["mocks"].bindings for frame in self.scopes.frames if "mocks" in frame.slots)

    def _class_attributes(self) -> dict[str, MockBinding]:
        """Mocks a setUp method put on `self`, seen by every method of its class."""
        owner = self._method_owner()
        return self._setup_mocks.setdefault(owner, {}) if owner is not None else {}

    def _method_owner(self) -> ast.AST | None:
        for frame in reversed(self.scopes.frames):
            if isinstance(frame.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return frame.owner.node if frame.owner is not None else None
        return None

    def _in_test(self) -> bool:
        """Is the innermost function a test (pytest or unittest) of its class?"""
        for frame in reversed(self.scopes.frames):
            if isinstance(frame.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                collected = self.context.collected_def(frame.node, [])
                return collected is not None and self.context.test_kind(frame.node, collected[1]) is not None
        return False

    def _in_setup(self) -> bool:
        return getattr(self.scopes.frame.node, "name", "") in SETUP_METHODS

    def _fixture_mock(self, fixture: Fixture) -> MockBinding | None:
        """A fresh copy of the mock a fixture of this module returns or yields, if any."""
        if fixture.node not in self._fixture_mocks:
            self._fixture_mocks[fixture.node] = self._provided_mock(fixture.node)
        provided = self._fixture_mocks[fixture.node]
        return MockBinding(provided.kind, provided.class_name) if provided is not None else None

    def _provided_mock(self, function: ast.AST) -> MockBinding | None:
        local: dict[str, MockBinding] = {}
        provided: MockBinding | None = None
        statements = sorted(
            (
                node
                for node in own_nodes(function)
                if isinstance(node, (ast.Assign, ast.With, ast.AsyncWith, ast.Return, ast.Yield))
            ),  # type: ignore[arg-type]
            key=lambda node: (node.lineno, node.col_offset),
        )
        for statement in statements:
            if isinstance(statement, ast.Assign):
                target = statement.targets[0]
                mock = self.mock_of(statement.value, local.get)
                if mock is not None and len(statement.targets) == 1 and isinstance(target, ast.Name):
                    local[target.id] = MockBinding(*mock)
            elif isinstance(statement, (ast.With, ast.AsyncWith)):
                for item in statement.items:
                    context, name = item.context_expr, item.optional_vars
                    if isinstance(name, ast.Name) and isinstance(context, ast.Call):
                        if self.mock_api(context.func) in ("patch", "patch.object"):
                            local[name.id] = MockBinding(*self._patched_mock(context))
            elif statement.value is not None:
                mock = self.mock_of(statement.value, local.get)
                if mock is not None:
                    provided = MockBinding(*mock)
                    if isinstance(statement.value, ast.Name) and _is_touched(function, statement.value.id):
                        provided = MockBinding(UNKNOWN, "")  # configured after its creation
        return provided

    # -- bindings -----------------------------------------------------------------------------

    def enter_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assign(target, node.value, node)

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assign(node.target, node.value, node)

    def _assign(self, target: ast.expr, value: ast.expr, statement: ast.stmt) -> None:
        if isinstance(target, ast.Name):
            mock = self.mock_of(value)
            if mock is not None:
                self._scope().bindings[target.id] = MockBinding(*mock)
            else:
                self._scope().bindings.pop(target.id, None)
            return
        if not isinstance(target, ast.Attribute):
            return
        self._check_returns_coroutine(target.attr, value)
        root, path = _path_of(target)
        binding = self._binding_to_update(root) if root is not None else None
        if binding is not None:
            if binding is self._class_attributes().get("self") and not self._in_setup():
                binding.rebound[path] = (UNKNOWN, "")  # a helper setUp may call: setUp's mock is no longer sure
            elif path[-1] in CONFIGURING_KEYWORDS:
                if path[-1] != RETURN or not self._surely_not_awaitable(value):
                    binding.configured.add(path[:-1])
            else:
                binding.rebound[path] = self.mock_of(value) or (UNKNOWN, "")
        replacement = self.mock_of(value)
        if binding is None and replacement is not None and root is not None and RETURN not in path:
            # `client.fetch = AsyncMock()` on an object that is not a mock: follow that attribute
            holder = self._class_attributes() if root == "self" and self._in_setup() else self._scope().bindings
            holder.setdefault(root, MockBinding(UNKNOWN, "", is_mock=False)).rebound[path] = replacement
        if binding is not None and binding.is_mock:
            return
        if replacement is not None and replacement[0] == SYNC and self.scopes.frame.may_await:
            target_name = self._async_attribute(target.value, target.attr)
            if target_name is not None:
                self.report(ATS502, statement, target=target_name, kind=replacement[1])

    def enter_With(self, node: ast.With) -> None:
        self._bind_with_items(node)

    def enter_AsyncWith(self, node: ast.AsyncWith) -> None:
        self._bind_with_items(node)

    def _bind_with_items(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            expr, name = item.context_expr, item.optional_vars
            if not isinstance(name, ast.Name) or not isinstance(expr, ast.Call):
                continue
            api = self.mock_api(expr.func)
            if api in ("patch", "patch.object"):
                self._scope().bindings[name.id] = MockBinding(*self._patched_mock(expr))

    # -- the rules ------------------------------------------------------------------------------

    def enter_Await(self, node: ast.Await) -> None:
        call = node.value
        if not isinstance(call, ast.Call):
            return
        root, path = _path_of(call.func)
        binding = self.binding(root) if root is not None else None
        if binding is None:
            return
        kind, class_name = binding.kind_at(path)
        if kind == SYNC and path not in binding.configured:
            self.report(ATS501, node, call=self.scopes.describe(call), kind=class_name)

    def enter_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in AWAITED_CHECKS:
                self._note_awaited_read(func)
            elif func.attr in CALLED_ASSERTIONS:
                self._note_assertion(node, func)
            elif func.attr.startswith("assert"):  # self.assertEqual(m.await_count, 1)
                for argument in node.args:
                    self._note_awaited_read(argument)
            elif func.attr in RECONFIGURING_METHODS:
                self._stop_following(func.value)
            elif func.attr == "setattr" and isinstance(func.value, ast.Name) and func.value.id == "monkeypatch":
                self._check_monkeypatch(node)
        elif isinstance(func, ast.Name) and func.id == "setattr" and node.args and not self.scopes.is_local("setattr"):
            self._stop_following(node.args[0])
        if root_name(func) not in self._mock_roots:
            return
        api = self.mock_api(func)
        if api is None:
            return
        for keyword in node.keywords:
            if keyword.arg == RETURN:
                self._check_returns_coroutine(RETURN, keyword.value)
        if api in ("patch", "patch.object"):
            self._check_patch(node, api)

    def enter_Assert(self, node: ast.Assert) -> None:
        self._note_awaited_read(node.test)

    def enter_Compare(self, node: ast.Compare) -> None:
        self._note_awaited_read(node.left)
        for comparator in node.comparators:
            self._note_awaited_read(comparator)

    def _note_awaited_read(self, expr: ast.expr) -> None:
        """`m.await_count == 1`, `assert m.await_args`, `m.await_args_list[0]`: the test
        checks awaiting by itself (a shallow look, no walk)."""
        while isinstance(expr, (ast.Subscript, ast.UnaryOp)):
            expr = expr.value if isinstance(expr, ast.Subscript) else expr.operand
        if isinstance(expr, ast.Attribute) and expr.attr in AWAITED_CHECKS:
            root, path = _path_of(expr.value)
            if root is not None:
                self._scope().awaited_checks.add((root, path))

    def _stop_following(self, expr: ast.expr) -> None:
        """The mock at `expr` may have been configured in any way: nothing below it is sure."""
        root, path = _path_of(expr)
        binding = self.binding(root) if root is not None else None
        if binding is not None:
            if path:
                binding.rebound[path] = (UNKNOWN, "")
            else:
                binding.kind = UNKNOWN
                binding.rebound.clear()

    def _note_assertion(self, call: ast.Call, func: ast.Attribute) -> None:
        root, path = _path_of(func.value)
        binding = self.binding(root) if root is not None else None
        if binding is None or func.attr not in CALLED_ASSERTIONS:
            return
        if binding.kind_at(path)[0] == ASYNC:
            self._scope().called_assertions.append((call, root, path, func.attr))  # type: ignore[arg-type]

    def _check_patch(self, call: ast.Call, api: str) -> None:
        replacement = patch_replacement(call, is_object=api.endswith("object"))
        kind, class_name = UNKNOWN, ""
        if replacement is not None:
            kind, class_name = self.mock_of(replacement) or (UNKNOWN, "")
        else:
            new_callable = keyword_value(call, "new_callable")
            created = self.mock_api(new_callable) if new_callable is not None else None
            if created in SYNC_MOCK_CLASSES:
                kind, class_name = self._configured_kind(call, SYNC_MOCK_CLASSES[created], spec_may_be_positional=False)
        if kind == SYNC and self.scopes.frame.may_await:
            target = self._async_target(call, api)
            if target is not None:
                self.report(ATS502, call, target=target, kind=class_name)

    def _check_monkeypatch(self, call: ast.Call) -> None:
        args = call.args
        if len(args) == 2 and literal_string(args[0]):
            target, value = literal_string(args[0]), args[1]
            target = target if self.context.coroutine_resolver.is_coroutine_function(target or "") else None
        elif len(args) >= 3 and literal_string(args[1]):
            target, value = self._async_attribute(args[0], literal_string(args[1]) or ""), args[2]
        else:
            return
        replacement = self.mock_of(value)
        if target is not None and replacement is not None and replacement[0] == SYNC and self.scopes.frame.may_await:
            self.report(ATS502, call, target=target, kind=replacement[1])

    def _check_returns_coroutine(self, attribute: str, value: ast.expr) -> None:
        if attribute == RETURN and isinstance(value, ast.Call) and self.scopes.coroutine_callee(value) is not None:
            self.report(ATS504, value, call=self.scopes.describe(value))


def _is_touched(function: ast.AST, name: str) -> bool:
    """Is the local name used as the root of an attribute assignment or a method call?"""
    for node in own_nodes(function):  # type: ignore[arg-type]
        if isinstance(node, (ast.Attribute, ast.Call)) and root_name(node) == name:
            return True
    return False


def _path_of(expr: ast.expr) -> tuple[str | None, tuple[str, ...]]:
    """`m.a().b` -> ("m", ("a", "return_value", "b")); (None, ()) when not rooted at a name."""
    parts: list[str] = []
    while True:
        if isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        elif isinstance(expr, ast.Call):
            parts.append(RETURN)
            expr = expr.func
        else:
            break
    if not isinstance(expr, ast.Name):
        return None, ()
    return expr.id, tuple(reversed(parts))
