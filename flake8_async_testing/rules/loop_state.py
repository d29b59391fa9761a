"""What an async fixture leaves on its own event loop (ATS404): tasks it starts there, callbacks
it schedules, an object it hands over that stores the loop; also through the project's own
functions and methods it calls (`await broker.start()` where `start` calls
`asyncio.create_task`), one level deep. Read from the trees, once per definition. And which
values are bound to the loop that made them (ATS404, ATS410)."""

from __future__ import annotations

import ast

from ..libraries import CALLBACK_SCHEDULERS, SHARED_LOOP_GETTERS, TASK_STARTERS, library_class
from ..module_facts import Decorated, ModuleFacts, own_nodes
from ..project import PROJECT
from ..values import Instance, Value

STORES_ITS_LOOP = "hands over an object that stores its loop"


def loop_bound(value: Value | None) -> tuple[str, str] | None:
    """(what it is, what using it in another loop raises) for a value bound to the event loop
    that made it, by run-time evidence: a library class the table marks (a Future or Task, an
    aiohttp ClientSession, an asyncpg pool or connection). An AsyncEngine is not: its pool
    connects where it is first used (tests/test_client_premises.py). None for anything else."""
    cls = library_class(value.type_name) if isinstance(value, Instance) else None
    return (cls.name.rpartition(".")[2], cls.loop_bound) if cls is not None and cls.loop_bound else None


def loop_work(fixture_node: ast.AST, module: ModuleFacts, roots: tuple[str, ...]) -> str | None:
    """What the fixture (a def of `module`) leaves on its loop, or None."""
    found = _work_in(fixture_node, module)
    if found is not None:
        return found
    for call, described in _project_calls(fixture_node, module):
        definition = _callee(call, fixture_node, module, roots)
        callee_module = PROJECT.facts_of_file(definition.path) if definition is not None and definition.path else None
        if definition is None or callee_module is None:
            continue
        inner = PROJECT.per_definition("loop work", definition.node, lambda: _work_in(definition.node, callee_module))
        if inner is not None:
            return f"{inner} (in '{described}')"
    return None


def _work_in(function: ast.AST, module: ModuleFacts) -> str | None:
    for node in own_nodes(function):  # type: ignore[arg-type]
        if isinstance(node, ast.Call):
            func = node.func
            if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)) in TASK_STARTERS:
                return "starts tasks in it"
            if isinstance(func, ast.Attribute) and func.attr in CALLBACK_SCHEDULERS:
                return "schedules callbacks in it"
        elif isinstance(node, ast.Assign) and any(isinstance(target, ast.Attribute) for target in node.targets):
            value = node.value
            if isinstance(value, ast.Call) and module.imports.qualified_name(value.func) in SHARED_LOOP_GETTERS:
                return STORES_ITS_LOOP  # `app.loop = asyncio.get_running_loop()`
    return None


def _project_calls(function: ast.AST, module: ModuleFacts) -> list[tuple[ast.Call, str]]:
    """Calls of a plain name or of a method of a name (`start_workers()`, `broker.start()`)."""
    calls: list[tuple[ast.Call, str]] = []
    for node in own_nodes(function):  # type: ignore[arg-type]
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                calls.append((node, func.id))
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                calls.append((node, f"{func.value.id}.{func.attr}"))
    return calls


def _callee(call: ast.Call, function: ast.AST, module: ModuleFacts, roots: tuple[str, ...]) -> Decorated | None:
    """The project def a call reaches: a function of the module or one it imports, or a method
    of an instance the fixture made (`broker = Broker()`, then `broker.start()`)."""
    func = call.func
    if isinstance(func, ast.Name):
        found = module.top_level_functions.get(func.id)
        alias = module.imports.aliases.get(func.id)
        return found if found is not None else PROJECT.definition(alias, module.path, roots) if alias else None
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
        return None
    class_name = _made_as(function, func.value.id)
    if class_name is None:
        return None
    if class_name in module.class_by_name:
        return PROJECT.method(module, module.class_by_name[class_name], func.attr, roots)
    alias = module.imports.aliases.get(class_name)
    return PROJECT.definition(f"{alias}.{func.attr}", module.path, roots) if alias else None


def _made_as(function: ast.AST, name: str) -> str | None:
    """`name = Class(...)` in the function's own body (the only assignment to it): the class name."""
    made = [
        node.value.func.id
        for node in own_nodes(function)  # type: ignore[arg-type]
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
    ]
    return made[0] if len(made) == 1 else None
