"""Resolve the names a module uses to the dotted names they stand for.

`import pytest as pt`, `from pytest import mark` and `fixture = pytest.fixture` all make
`pt.mark.asyncio`, `mark.asyncio` and `fixture` mean the same thing as the spelled-out
`pytest.mark.asyncio` / `pytest.fixture`; rules match on those canonical names only.
"""

from __future__ import annotations

import ast
from typing import Iterable, Iterator, Protocol


class ImportMap:
    """Local name -> canonical dotted name, from imports and simple module-level aliases."""

    __slots__ = ("aliases", "_answers")

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self._answers: dict[int, tuple[ast.AST, str | None]] = {}
        """qualified_name by node, as every family asks it of the same callee."""

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        self._answers.clear()
        for name, dotted, _ in imported_names(node):
            self.aliases[name] = dotted

    def add_alias(self, name: str, value: ast.expr) -> None:
        """Record `name = some.dotted.name` when the right side resolves to an import, and
        `name = pytest.mark.x(...)`: a mark stored in a variable is still that mark."""
        self._answers.clear()
        target = self.qualified_name(value.func if isinstance(value, ast.Call) else value)
        if isinstance(value, ast.Call) and not (target or "").startswith("pytest.mark."):
            target = None
        if target is not None:
            self.aliases[name] = target
        else:
            self.aliases.pop(name, None)

    def qualified_name(self, expr: ast.AST) -> str | None:
        """`pt.mark.asyncio` -> `pytest.mark.asyncio`; None when the root is not imported."""
        known = self._answers.get(id(expr))
        if known is not None and known[0] is expr:
            return known[1]
        answer = self._qualified_name(expr)
        if isinstance(expr, ast.Attribute):  # a bare Name is a dict look-up already
            self._answers[id(expr)] = (expr, answer)
        return answer

    def _qualified_name(self, expr: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        root = self.aliases.get(expr.id)
        if root is None:
            return None
        parts.append(root)
        return ".".join(reversed(parts))


class LocalNames(Protocol):
    """The names bound around some code, beyond the module's: the model's open frames in the
    walk (scopes.Scopes), or a scope read from the tree (the fix command's)."""

    def is_local(self, name: str | None) -> bool:
        """Bound in a function, lambda, comprehension or class around the code."""

    def local_import(self, name: str) -> str | None:
        """The dotted name an import around the code bound a local name to, else None."""


def qualified_name(expr: ast.AST, imports: ImportMap, local: LocalNames) -> str | None:
    """The dotted name an expression stands for where the code is: through an import in a
    function around it, else the module's imports; None for a root bound around the code by
    anything but an import. The one name resolver of the checker and the fix command."""
    root = expr
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name) or not local.is_local(root.id):
        return imports.qualified_name(expr)
    dotted = local.local_import(root.id)
    if dotted is None:
        return None
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    return ".".join([dotted, *reversed(parts)])


class NamesBoundIn:
    """The names some functions or lambdas bind (those nested in them too), read from their
    trees rather than met in a walk: for code looked at after the walk (the fix command, a
    conftest fixture's teardown). A generous set: a name bound anywhere in them is local."""

    def __init__(self, scopes: Iterable[ast.AST]) -> None:
        self.bound: set[str] = set()
        self.assigned: set[str] = set()
        """Names bound otherwise than as a parameter or by an import: assignment and `for` /
        `with` / `except` targets, defs, classes, `global` / `nonlocal`."""
        imported: dict[str, str] = {}
        other: set[str] = set()
        for scope in scopes:
            found = _Bindings(scope)
            self.bound |= found.names(imports=True)
            self.assigned |= found.assigned
            other |= found.names(imports=False)
            for name, dotted in found.imported:
                if imported.setdefault(name, dotted) != dotted:
                    other.add(name)  # two imports disagree: no answer
        self._imported = {name: dotted for name, dotted in imported.items() if name not in other}
        """Names only imports bind, to what they import."""

    def is_local(self, name: str | None) -> bool:
        return name in self.bound

    def local_import(self, name: str) -> str | None:
        return self._imported.get(name)


def bound_names(scope: ast.AST, imports: bool = True) -> set[str]:
    """Every name a scope and the scopes in it bind: parameters, assignment targets, imports
    (unless `imports` is false; a module's own are its facts), defs and classes."""
    return _Bindings(scope).names(imports)


class _Bindings:
    """Every binding in a scope and the scopes in it, by kind, read in one walk."""

    def __init__(self, scope: ast.AST) -> None:
        self.scope = scope
        self.assigned: set[str] = set()
        self.parameters: set[str] = set()
        self.imported: list[tuple[str, str]] = []
        for node in ast.walk(scope):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                self.assigned.add(node.id)
            elif isinstance(node, ast.arg):
                self.parameters.add(node.arg)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not scope:
                self.assigned.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                self.imported += [(name, dotted) for name, dotted, _ in imported_names(node)]
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                self.assigned.update(node.names)

    def names(self, imports: bool) -> set[str]:
        names = self.assigned | self.parameters
        if imports and not isinstance(self.scope, ast.Module):
            names.update(name for name, _ in self.imported)
        return names


def called_name(expr: ast.expr, imports: ImportMap) -> tuple[str | None, ast.Call | None]:
    """The canonical name of a decorator or call target, and the call if it is one."""
    if isinstance(expr, ast.Call):
        return imports.qualified_name(expr.func), expr
    return imports.qualified_name(expr), None


def imported_names(node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, str, ast.alias]]:
    """(name bound, dotted name it stands for, alias) for each name an import binds:
    `import a.b` binds `a` to `a`, `import a.b as c` binds `c` to `a.b`, `from .m import x`
    binds `x` to `.m.x`; `from m import *` binds nothing the plugin follows."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            name = bound_name(alias)
            yield name, alias.name if alias.asname else name, alias
        return
    module = "." * node.level + (node.module or "")
    prefix = module if module.endswith(".") else module + "."
    for alias in node.names:
        if alias.name != "*":
            yield bound_name(alias), prefix + alias.name, alias


def bound_name(alias: ast.alias) -> str:
    """The name an import binds: `import a.b` binds `a`, `import a.b as c` and `from a import
    b as c` bind `c`."""
    return alias.asname or alias.name.partition(".")[0]


def literal_string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def keyword(call: ast.Call | None, name: str) -> ast.expr | None:
    if call is None:
        return None
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def string_list(node: ast.AST | None) -> list[str] | None:
    """`"a"`, `"a,b"` (pytest's comma form for argnames), `["a", "b"]` or `("a", "b")`;
    None when any part is not a literal."""
    text = literal_string(node)
    if text is not None:
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [literal_string(elt) for elt in node.elts]
        if all(item is not None for item in items):
            return [item for item in items if item is not None]
    return None


def attribute_owner(expr: ast.expr, attribute: str) -> ast.expr | None:
    """`app` of `app.<attribute>`, else None."""
    return expr.value if isinstance(expr, ast.Attribute) and expr.attr == attribute else None


def root_name(expr: ast.expr) -> str | None:
    """The name an attribute / call chain starts from: `m` for `m.a().b`; None otherwise."""
    while True:  # by exact type: asked of every call, by several families
        kind = type(expr)
        if kind is ast.Attribute:
            expr = expr.value  # type: ignore[attr-defined]
        elif kind is ast.Call:
            expr = expr.func  # type: ignore[attr-defined]
        else:
            return expr.id if kind is ast.Name else None  # type: ignore[attr-defined]


RETURN = "return_value"
"""The step of a path through a call: `m.a().b` is ("a", "return_value", "b") from `m`."""


def path_of(expr: ast.expr) -> tuple[str | None, tuple[str, ...]]:
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
