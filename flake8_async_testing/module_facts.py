"""The facts of one module, read from its tree: its defs and what decorates them (marks,
fixtures, patches), test classes, `pytestmark`, `pytest_plugins`, hooks, imports and module-level
assignments.

Built from the module's top-level statements and class bodies only (function bodies are left
to the walk), once per checked file and once per process for each conftest.py or plugin module.
Where a form cannot be understood statically (a mark list built by a call, a fixture name
computed at run time, an unknown decorator), the facts say so, and rules stay silent.
"""

from __future__ import annotations

import ast
import dataclasses
from functools import cached_property
from typing import Iterator, Union

from .mock_api import patch_replacement
from .names import ImportMap, called_name, keyword, literal_string, string_list

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]

FIXTURE_DECORATORS = {
    "pytest.fixture": "pytest",
    "pytest.yield_fixture": "pytest",
    "_pytest.fixtures.fixture": "pytest",
    "pytest_asyncio.fixture": "pytest_asyncio",
    "pytest_asyncio.plugin.fixture": "pytest_asyncio",
}
ASYNC_MARKS = ("asyncio", "anyio", "trio", "asyncio_cooperative")
"""Marks that make a plugin run an async test (pytest-asyncio-cooperative has its own)."""
PATCH_DECORATOR_PREFIXES = ("unittest.mock.patch", "mock.patch")
BUILTIN_METHOD_DECORATORS = ("staticmethod", "classmethod")
TRANSPARENT_DECORATORS = frozenset(
    f"{module}.{name}"
    for module in ("typing", "typing_extensions", "abc")
    for name in ("override", "final", "abstractmethod")
)
"""Decorators that hand the function back unchanged."""
UNITTEST_TESTCASE = "unittest.TestCase"
UNITTEST_ASYNC_TESTCASES = ("unittest.IsolatedAsyncioTestCase", "unittest.async_case.IsolatedAsyncioTestCase")
HOOKS_THAT_RUN_TESTS = ("pytest_pyfunc_call", "pytest_pycollect_makeitem", "pytest_fixture_setup")
"""A conftest or plugin defining one of these may run coroutines itself."""
UNKNOWN_SCOPE = "?"
"""A `scope=` / `loop_scope=` computed at run time: rules that compare scopes stay silent."""


@dataclasses.dataclass(frozen=True)
class Mark:
    name: str
    node: ast.expr
    call: ast.Call | None

    @property
    def requested_fixtures(self) -> list[str]:
        """Fixture names this mark makes the test request (usefixtures, parametrize)."""
        if self.call is None:
            return []
        if self.name == "usefixtures":
            names: list[str] = []
            for arg in self.call.args:
                names.extend(string_list(arg) or [])
            return names
        if self.name == "parametrize" and self.call.args:
            return string_list(self.call.args[0]) or []
        return []

    @property
    def usefixtures_arguments(self) -> list[tuple[str, ast.expr]]:
        """`usefixtures("a", "b")`: each fixture name with the string node that spells it."""
        if self.call is None or self.name != "usefixtures":
            return []
        found: list[tuple[str, ast.expr]] = []
        for arg in self.call.args:
            elements = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
            for element in elements:
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    found.append((element.value, element))
        return found

    @property
    def arguments_understood(self) -> bool:
        """False where the fixtures a usefixtures or parametrize mark requests are computed."""
        if self.call is None or self.name not in ("usefixtures", "parametrize"):
            return True
        arguments = self.call.args if self.name == "usefixtures" else self.call.args[:1]
        return bool(arguments) and all(string_list(argument) is not None for argument in arguments)

    @property
    def loop_scope(self) -> str | None:
        """`asyncio(loop_scope=...)`, or the deprecated `scope=` that pytest-asyncio still reads;
        None when neither is given, UNKNOWN_SCOPE when computed."""
        if self.call is None:
            return None
        return _scope_argument(keyword(self.call, "loop_scope")) or _scope_argument(keyword(self.call, "scope"))

    @cached_property
    def carries_param_marks(self) -> bool:
        """`parametrize(..., [pytest.param(..., marks=...)])`: marks we do not follow."""
        return self.name == "parametrize" and self.call is not None and _has_param_marks(self.call)


@dataclasses.dataclass
class MarkList:
    """Marks from decorators or a `pytestmark`; `understood` is False where some are hidden."""

    marks: list[Mark] = dataclasses.field(default_factory=list)
    understood: bool = True

    def names(self) -> set[str]:
        return {mark.name for mark in self.marks}


def as_mark(expr: ast.expr, imports: ImportMap) -> Mark | None:
    name, call = called_name(expr, imports)
    if name and name.endswith(".with_args"):
        name = name[: -len(".with_args")]
    if name and name.startswith("pytest.mark.") and name.count(".") == 2:
        return Mark(name[len("pytest.mark.") :], expr, call)
    return None


def pytestmark_value(value: ast.expr, imports: ImportMap) -> MarkList:
    """`pytestmark = mark` or `[mark, ...]`; pytest rejects a tuple, so it gives no marks."""
    if isinstance(value, ast.List):
        marks = [as_mark(elt, imports) for elt in value.elts]
        return MarkList([m for m in marks if m is not None], understood=all(marks))
    if isinstance(value, ast.Tuple):
        return MarkList([], understood=True)
    mark = as_mark(value, imports)
    return MarkList([mark], True) if mark else MarkList([], understood=False)


@dataclasses.dataclass
class Decorated:
    """A def and what its decorators make of it."""

    node: FunctionNode
    marks: list[Mark]
    fixture_provider: str | None
    """`pytest` or `pytest_asyncio` when the def is a fixture."""
    fixture_call: ast.Call | None
    fixture_decorator: ast.expr | None
    unknown_decorators: bool
    """A decorator we do not know may replace the function (sync wrapper, custom runner)."""
    is_staticmethod: bool
    injected_mock_arguments: int
    """`@patch(...)` without `new` passes a mock as an extra leading argument."""
    path: str = ""
    """The file it is defined in (empty for a def nested in a function)."""

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef)

    @property
    def is_fixture(self) -> bool:
        return self.fixture_provider is not None

    @cached_property
    def is_generator(self) -> bool:
        return any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in own_nodes(self.node))

    @property
    def is_coroutine_function(self) -> bool:
        """Calling it surely returns a coroutine: `async def`, no `yield`, no decorator that
        might replace it, not a fixture (which is never called directly)."""
        return self.is_async and not self.unknown_decorators and not self.is_fixture and not self.is_generator

    @property
    def is_plain_async_fixture(self) -> bool:
        """An async fixture under plain `@pytest.fixture`: pytest-asyncio's strict mode
        leaves it to other plugins, and without one it is never awaited."""
        return self.is_async and self.fixture_provider == "pytest"

    def requested_parameters(self, is_method: bool) -> list[ast.arg]:
        """Parameters pytest fills with fixtures (as its `getfuncargnames` computes them):
        no defaults, no positional-only, no `self`, none injected by `@patch`."""
        cache = self.__dict__.setdefault("_requested", {})
        if is_method not in cache:
            cache[is_method] = self._requested_parameters(is_method)
        return cache[is_method]

    def _requested_parameters(self, is_method: bool) -> list[ast.arg]:
        args = self.node.args
        positional = [*args.posonlyargs, *args.args]
        without_default = positional[: len(positional) - len(args.defaults)]
        params = [arg for arg in without_default if arg not in args.posonlyargs]
        params += [arg for arg, default in zip(args.kwonlyargs, args.kw_defaults) if default is None]
        if is_method and not self.is_staticmethod:
            params = params[1:]
        return params[self.injected_mock_arguments :]

    def requested_fixtures(self, is_method: bool) -> list[str]:
        return [arg.arg for arg in self.requested_parameters(is_method)]


def decorated(node: FunctionNode, imports: ImportMap) -> Decorated:
    marks: list[Mark] = []
    provider: str | None = None
    fixture_call: ast.Call | None = None
    fixture_decorator: ast.expr | None = None
    unknown = False
    static = False
    injected = 0
    for decorator in node.decorator_list:
        mark = as_mark(decorator, imports)
        if mark is not None:
            marks.append(mark)
            continue
        name, call = called_name(decorator, imports)
        if name in FIXTURE_DECORATORS:
            provider, fixture_call, fixture_decorator = FIXTURE_DECORATORS[name], call, decorator
        elif name and name.startswith(PATCH_DECORATOR_PREFIXES):
            if _patch_injects_argument(name, call):
                injected += 1
        elif isinstance(decorator, ast.Name) and decorator.id in BUILTIN_METHOD_DECORATORS:
            static = static or decorator.id == "staticmethod"
        elif name not in TRANSPARENT_DECORATORS:
            unknown = True
    return Decorated(node, marks, provider, fixture_call, fixture_decorator, unknown, static, injected)


def _patch_injects_argument(name: str, call: ast.Call | None) -> bool:
    if call is None or name.endswith((".dict", ".multiple", ".stopall")):
        return False
    return patch_replacement(call, is_object=name.endswith(".object")) is None


@dataclasses.dataclass
class Fixture:
    name: str
    definition: Decorated
    path: str
    scope: str | None
    """Literal `scope=`, `function` when absent, None when computed at run time."""
    loop_scope: str | None
    """Literal `loop_scope=` of a pytest_asyncio fixture, None when absent, UNKNOWN_SCOPE when computed."""
    autouse: bool
    requests: list[str]
    param_marks: bool
    """`params=[pytest.param(..., marks=...)]`: the marks reach every test that uses it."""
    parametrized: bool
    """`params=` given: what it hands over may depend on the parameter."""
    imports: ImportMap
    """The names of the module that defines it."""

    @property
    def node(self) -> FunctionNode:
        return self.definition.node

    @property
    def is_async(self) -> bool:
        return self.definition.is_async

    @property
    def provider(self) -> str:
        return self.definition.fixture_provider or "pytest"

    @property
    def is_generator(self) -> bool:
        return self.definition.is_generator


def own_nodes(function: FunctionNode) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of functions or classes nested in it."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def within_lines(node: ast.AST, block: ast.AST) -> bool:
    """Does `node` start on a line of `block` (a def, a `with` block)?"""
    start = getattr(block, "lineno", 0)
    end = getattr(block, "end_lineno", None) or start
    return start <= getattr(node, "lineno", -1) <= end


def fixture_of(definition: Decorated, path: str, is_method: bool, imports: ImportMap) -> Fixture | None:
    if not definition.is_fixture:
        return None
    call = definition.fixture_call
    name_node = keyword(call, "name")
    name = literal_string(name_node) if name_node is not None else definition.node.name
    if name is None:
        return None
    scope_node = keyword(call, "scope")
    scope = "function" if scope_node is None else literal_string(scope_node)
    autouse_node = keyword(call, "autouse")
    autouse = isinstance(autouse_node, ast.Constant) and autouse_node.value is True
    return Fixture(
        name=name,
        definition=definition,
        path=path,
        scope=scope,
        loop_scope=_scope_argument(keyword(call, "loop_scope")),
        autouse=autouse,
        requests=definition.requested_fixtures(is_method),
        param_marks=_has_param_marks(keyword(call, "params")),
        parametrized=keyword(call, "params") is not None,
        imports=imports,
    )


def _scope_argument(node: ast.expr | None) -> str | None:
    if node is None or (isinstance(node, ast.Constant) and node.value is None):
        return None
    return literal_string(node) or UNKNOWN_SCOPE


def _has_param_marks(node: ast.AST | None) -> bool:
    return node is not None and any(isinstance(kw, ast.keyword) and kw.arg == "marks" for kw in ast.walk(node))


@dataclasses.dataclass
class ClassFacts:
    node: ast.ClassDef
    marks: MarkList
    """Class decorators and the class body's `pytestmark`."""
    base_names: list[str | None]
    """Each base as a canonical dotted name, a module-level class name, or None if unknown."""
    has_init: bool
    fixtures: dict[str, Fixture]
    methods: dict[FunctionNode, Decorated]
    collection_disabled: bool = False
    """`__test__ = False` in the class body."""


@dataclasses.dataclass
class ModuleFacts:
    path: str
    imports: ImportMap
    pytestmark: MarkList
    pytest_plugins: list[str]
    pytest_plugins_understood: bool
    fixtures: dict[str, Fixture]
    functions: dict[FunctionNode, Decorated]
    classes: dict[ast.ClassDef, ClassFacts]
    class_by_name: dict[str, ClassFacts]
    hooks_that_run_tests: bool
    uses_anyio: bool
    uses_trio: bool
    collection_disabled: bool = False
    """`__test__ = False` at module level."""
    top_level_functions: dict[str, Decorated] = dataclasses.field(default_factory=dict)
    """Module-level defs by name (the last one wins)."""
    assigned_calls: dict[str, ast.Call] = dataclasses.field(default_factory=dict)
    """Module-level `name = call(...)` (the last one wins): `SessionLocal = sessionmaker(...)`."""
    assigned_strings: dict[str, str] = dataclasses.field(default_factory=dict)
    """Module-level `NAME = "text"` (the last one wins): `SERVICES = "app.services"`, a patch target's prefix."""
    fixture_by_def: dict[FunctionNode, Fixture] = dataclasses.field(default_factory=dict)
    """Every fixture def of the module and its classes, overridden ones included."""
    tree: ast.Module | None = None

    @property
    def all_fixtures(self) -> Iterator[Fixture]:
        yield from self.fixtures.values()
        for facts in self.classes.values():
            yield from facts.fixtures.values()


def module_facts(tree: ast.Module, path: str) -> ModuleFacts:
    """Collect the module's pytest facts from its top level and its class bodies."""
    imports = ImportMap()
    facts = ModuleFacts(
        path=path,
        imports=imports,
        pytestmark=MarkList(),
        pytest_plugins=[],
        pytest_plugins_understood=True,
        fixtures={},
        functions={},
        classes={},
        class_by_name={},
        hooks_that_run_tests=False,
        uses_anyio=False,
        uses_trio=False,
        tree=tree,
    )
    for statement in top_level_statements(tree.body):
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            imports.add_import(statement)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            _module_assignment(statement, facts)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            definition = decorated(statement, imports)
            definition.path = path
            facts.functions[statement] = definition
            facts.top_level_functions[statement.name] = definition
            fixture = fixture_of(definition, path, is_method=False, imports=imports)
            if fixture is not None:
                facts.fixtures[fixture.name] = fixture
                facts.fixture_by_def[statement] = fixture
            if statement.name in HOOKS_THAT_RUN_TESTS or _adds_marks_to_items(statement):
                facts.hooks_that_run_tests = True
        elif isinstance(statement, ast.ClassDef):
            _collect_class(statement, facts)
    facts.uses_anyio, facts.uses_trio = _async_framework_signals(facts)
    return facts


def top_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements at module level, including those under `if`, `try` and `with` blocks."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.If):
            yield from top_level_statements(statement.body)
            yield from top_level_statements(statement.orelse)
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            yield from top_level_statements(statement.body)
        elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
            yield from top_level_statements(statement.body)  # type: ignore[attr-defined]
            for handler in statement.handlers:  # type: ignore[attr-defined]
                yield from top_level_statements(handler.body)
            yield from top_level_statements(statement.orelse)  # type: ignore[attr-defined]
            yield from top_level_statements(statement.finalbody)  # type: ignore[attr-defined]


def _assigned_names(statement: ast.Assign | ast.AnnAssign | ast.AugAssign) -> list[str]:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    return [target.id for target in targets if isinstance(target, ast.Name)]


def _module_assignment(statement: ast.Assign | ast.AnnAssign | ast.AugAssign, facts: ModuleFacts) -> None:
    value = statement.value
    for name in _assigned_names(statement):
        facts.top_level_functions.pop(name, None)
        if isinstance(value, ast.Call) and not isinstance(statement, ast.AugAssign):
            facts.assigned_calls[name] = value
        else:
            facts.assigned_calls.pop(name, None)
        text = literal_string(value) if not isinstance(statement, ast.AugAssign) else None
        if text is not None:
            facts.assigned_strings[name] = text
        else:
            facts.assigned_strings.pop(name, None)
        if name == "pytestmark":
            if isinstance(statement, ast.AugAssign) or value is None:
                facts.pytestmark = MarkList(facts.pytestmark.marks, understood=False)
            else:
                facts.pytestmark = pytestmark_value(value, facts.imports)
        elif name == "__test__":
            facts.collection_disabled = _is_false(value)
        elif name == "pytest_plugins":
            plugins = string_list(value) if not isinstance(statement, ast.AugAssign) else None
            if plugins is None:
                facts.pytest_plugins_understood = False
            else:
                facts.pytest_plugins.extend(plugins)
        elif value is not None and isinstance(value, (ast.Name, ast.Attribute, ast.Call)):
            facts.imports.add_alias(name, value)


def _is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _adds_marks_to_items(function: FunctionNode) -> bool:
    """A `pytest_collection_modifyitems` hook that calls `add_marker` may add async marks."""
    if function.name != "pytest_collection_modifyitems":
        return False
    return any(
        isinstance(node, ast.Attribute) and node.attr in ("add_marker", "own_markers") for node in own_nodes(function)
    )


def _collect_class(node: ast.ClassDef, facts: ModuleFacts) -> None:
    imports = facts.imports
    marks = [as_mark(decorator, imports) for decorator in node.decorator_list]
    class_marks = MarkList([m for m in marks if m is not None], understood=True)
    base_names: list[str | None] = []
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id in facts.class_by_name:
            base_names.append(base.id)
        elif isinstance(base, ast.Name) and base.id == "object":
            base_names.append("object")
        else:
            base_names.append(imports.qualified_name(base))
    class_facts = ClassFacts(node, class_marks, base_names, False, {}, {})
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            definition = decorated(statement, imports)
            definition.path = facts.path
            class_facts.methods[statement] = definition
            facts.functions[statement] = definition
            class_facts.has_init = class_facts.has_init or statement.name == "__init__"
            fixture = fixture_of(definition, facts.path, is_method=True, imports=imports)
            if fixture is not None:
                class_facts.fixtures[fixture.name] = fixture
                facts.fixture_by_def[statement] = fixture
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and "__test__" in _assigned_names(statement):
            class_facts.collection_disabled = _is_false(statement.value)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and "pytestmark" in _assigned_names(statement):
            if statement.value is None:
                continue
            body_marks = pytestmark_value(statement.value, imports)
            class_facts.marks = MarkList(
                class_facts.marks.marks + body_marks.marks,
                class_facts.marks.understood and body_marks.understood,
            )
        elif isinstance(statement, ast.ClassDef):
            _collect_class(statement, facts)
    facts.classes[node] = class_facts
    facts.class_by_name.setdefault(node.name, class_facts)


def _async_framework_signals(facts: ModuleFacts) -> tuple[bool, bool]:
    """Does anything in the module ask for anyio or trio to run tests or fixtures?"""
    mark_lists = [facts.pytestmark.marks]
    mark_lists += [cls.marks.marks for cls in facts.classes.values()]
    mark_lists += [definition.marks for definition in facts.functions.values()]
    names = {mark.name for marks in mark_lists for mark in marks}
    requested = {name for marks in mark_lists for mark in marks for name in mark.requested_fixtures}
    requested.update(fixture.name for fixture in facts.all_fixtures)
    plugins = " ".join(facts.pytest_plugins)
    uses_anyio = (
        "anyio" in names
        or "anyio_backend" in requested
        or "anyio" in plugins
        or any(_requests_anyio_backend(definition) for definition in facts.functions.values())
    )
    uses_trio = "trio" in names or "trio" in plugins
    return uses_anyio, uses_trio


def _requests_anyio_backend(definition: Decorated) -> bool:
    arguments = definition.node.args
    if not any(argument.arg == "anyio_backend" for argument in (*arguments.args, *arguments.kwonlyargs)):
        return False  # most defs: no list of requested fixtures to build
    return "anyio_backend" in definition.requested_fixtures(is_method=False)


def class_method(module: ModuleFacts, cls: ClassFacts, name: str, depth: int = 0) -> Decorated | None:
    """A method of a module-level class by name (the last def of that name, as in Python: the
    one after its `@overload` stubs), looking through base classes of the module."""
    found = [definition for node, definition in cls.methods.items() if node.name == name]
    if found:
        return found[-1]
    if depth > 10:
        return None
    for base in cls.base_names:
        base_class = module.class_by_name.get(base or "")
        if base_class is not None and base_class is not cls:
            inherited = class_method(module, base_class, name, depth + 1)
            if inherited is not None:
                return inherited
    return None
