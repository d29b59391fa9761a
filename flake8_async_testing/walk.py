"""The one walk over a file's tree.

Every enabled rule family names the node types it wants (`enter_Call`, `leave_AsyncFunctionDef`)
and the walk hands it just those, in source order. Where the walk is (frames, bindings) is the
semantic model's business (semantic_model.py): its binder is the first visitor. The tree is the
one flake8 parsed;
nothing is parsed or walked a second time.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Any, Callable, Iterable


class _Leave:
    __slots__ = ("node",)

    def __init__(self, node: ast.AST) -> None:
        self.node = node


_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
"""Fields that only hold operator and context singletons (Load, Add, Eq...): no rule looks
at those as nodes of their own, so the walk does not visit them."""
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


_VALUE_FIELDS = frozenset(
    {
        "id",
        "attr",
        "name",
        "asname",
        "arg",
        "module",
        "level",
        "kind",
        "type_comment",
        "conversion",
        "is_async",
        "simple",
        "rest",
        "kwd_attrs",
        "tag",
    }
)
"""Fields that hold identifiers, numbers and flags, never a node (`Name.id`, `alias.name`...)."""
_NO_CHILDREN = {ast.Constant, ast.Global, ast.Nonlocal, getattr(ast, "MatchSingleton", ast.Constant)}
_LEAVES = frozenset({type(None), ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.alias})
"""Nodes without child nodes (and the None of an empty field): the walk does not even push those
that no family handles. Names and constants are four in ten of the nodes it would visit."""


def _child_fields(node_type: type) -> tuple[str, ...]:
    """The fields that may hold child nodes, last first (the stack pops them in order). Any
    value that is not a node and slips through (a new Python's field) has no fields itself."""
    if node_type in _NO_CHILDREN or not hasattr(node_type, "_fields"):
        return ()
    excluded = _LEAF_FIELDS | _VALUE_FIELDS
    if node_type.__name__ == "TypeAlias":
        excluded = _LEAF_FIELDS  # its `name` is a Name node
    fields = [field for field in node_type._fields if field not in excluded]
    return tuple(reversed(fields))


@lru_cache(maxsize=None)
def _handlers_of(family_class: type) -> tuple[tuple[str, type, str], ...]:
    """(`enter` or `leave`, node type, method name) for each handler a family defines."""
    handlers = []
    for attribute in dir(family_class):
        prefix, _, type_name = attribute.partition("_")
        if prefix in ("enter", "leave") and type_name and hasattr(ast, type_name):
            handlers.append((prefix, getattr(ast, type_name), attribute))
    return tuple(handlers)


class Walk:
    def __init__(self, families: Iterable[object]) -> None:
        self._enter: dict[type, list[Callable[[ast.AST], None]]] = {}
        self._leave: dict[type, list[Callable[[ast.AST], None]]] = {}
        for family in families:
            family_class: type = type(family)
            for prefix, node_type, attribute in _handlers_of(family_class):
                table = self._enter if prefix == "enter" else self._leave
                table.setdefault(node_type, []).append(getattr(family, attribute))
        for handlers in self._leave.values():
            handlers.reverse()  # the first to enter a node is the last to leave it
        self._unvisited = _LEAVES - self._enter.keys() - self._leave.keys()

    def run(self, tree: ast.AST) -> None:
        enter, leave = self._enter, self._leave
        child_fields = _CHILD_FIELDS
        unvisited = self._unvisited
        # Nodes and _Leave markers: the walk dispatches on the exact type, which mypy does not follow.
        stack: list[Any] = [tree]
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            node_type = type(node)
            if node_type is _Leave:
                left = node.node
                for handle in leave[type(left)]:
                    handle(left)
                continue
            handlers = enter.get(node_type)
            if handlers:
                for handle in handlers:
                    handle(node)
            if node_type in leave:
                push(_Leave(node))
            fields = child_fields.get(node_type)
            if fields is None:
                fields = child_fields[node_type] = _child_fields(node_type)
            for field in fields:  # pushed last to first, so popped in field order
                value = getattr(node, field, None)
                if type(value) is list:
                    for item in reversed(value):
                        if type(item) not in unvisited:  # incl. the None in `Dict.keys`, `kw_defaults`
                            push(item)
                elif type(value) not in unvisited:
                    push(value)
