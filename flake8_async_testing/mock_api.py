"""How a mock API is spelled: the mock modules, classes and patch functions of unittest.mock,
mock and pytest-mock (and its fixtures), which of them a call names, what a patch call puts in
place, and which constructor keywords configure a mock. The semantic model's mocks.py and
mock_setup.py say what a given expression is; values.py's MockValue is what they make."""

from __future__ import annotations

import ast
from typing import Callable

from .names import keyword

MOCK_MODULES = ("unittest.mock.", "mock.")
SYNC_MOCK_CLASSES = {
    "Mock": "Mock",
    "MagicMock": "MagicMock",
    "NonCallableMock": "Mock",
    "NonCallableMagicMock": "MagicMock",
}
"""Sync mock classes (by their name in a mock module) and the class their calls behave as."""
MOCK_OBJECT_FACTORIES = frozenset({*SYNC_MOCK_CLASSES, "AsyncMock", "create_autospec"})
PATCH_APIS = frozenset({"patch", "patch.object"})
MOCKER_FIXTURES = frozenset({"mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker"})
"""pytest-mock's fixtures, one per scope: each hands over a MockerFixture."""

PATCHING_CALLS = frozenset({"patch", "object", "setattr"})
"""`patch("pkg.mod.name")`, `patch.object(owner, "name")`, `monkeypatch.setattr(owner, "name", ...)`."""
SPEC_KEYWORDS = frozenset({"spec", "spec_set", "autospec", "wraps"})
PLAIN_MOCK_KEYWORDS = frozenset({"name", "unsafe", "target", "create", "new_callable"})
"""Keywords of a Mock constructor, or of a patch call passing them on, that configure nothing
the rules care about (`target` and `create` belong to patch itself)."""
CONFIGURING_KEYWORDS = frozenset({"return_value", "side_effect"})
RECONFIGURING_METHODS = frozenset({"configure_mock", "attach_mock", "mock_add_spec", "__setattr__"})
"""Mock methods after which nothing below the mock is sure."""


def mock_api_of(func: ast.expr | None, qualified_name: Callable[[ast.AST], str | None]) -> str | None:
    """`Mock`, `MagicMock`, `AsyncMock`, `create_autospec`, `patch`, `patch.object`, ...
    for the unittest.mock / mock / pytest-mock spelling of a callee, else None;
    `qualified_name` resolves names as the code around `func` sees them (None for a local
    that is not an import)."""
    if func is None:
        return None
    qualified = qualified_name(func)
    if qualified is not None:
        for module in MOCK_MODULES:
            if qualified.startswith(module):
                return qualified[len(module) :]
        return None
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name) and func.id in MOCKER_FIXTURES and parts:
        return ".".join(reversed(parts))
    return None


def patch_replacement(call: ast.Call, is_object: bool) -> ast.expr | None:
    """The `new` of a `patch(target, new)` / `patch.object(owner, name, new)` call, keyword or
    positional; None when patch makes the mock itself (and, as a decorator, passes it in)."""
    new = keyword(call, "new")
    if new is not None:
        return new
    position = 2 if is_object else 1
    return call.args[position] if len(call.args) > position else None
