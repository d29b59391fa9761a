"""ATS3xx: database fixtures that leak state from one test into the next.

A fixture that hands out a SQLAlchemy session or connection decides whether what a test
commits outlives the test. Nothing undoes it when the fixture only closes the session (closing
rolls back uncommitted work only), when it yields inside `X.begin()` (the block commits when the
fixture resumes), or when one session serves a whole module. Sessions are recognised where the
fixture makes them (a session class, a sessionmaker, `engine.connect()` / `engine.begin()`,
`--session-factories`); anything that may reset the database (a rollback anywhere, a savepoint
recipe, dropping or truncating tables, an in-memory database per test, a cleanup fixture)
keeps the rules silent.
"""

from __future__ import annotations

import ast
import builtins
import weakref
from typing import Callable, Optional

from ..context import FileContext, facts_of_file
from ..names import ImportMap, keyword, literal_string
from ..pytest_model import ClassFacts, Fixture, ModuleFacts
from ..scopes import ScopeTracker, all_arguments
from ..walk import Scope
from .base import Code, RuleFamily

Binding = tuple[Optional[str], bool]
"""What a local name holds (a kind or None) and whether this fixture made it."""

ATS301 = Code(
    "ATS301",
    "fixture '{name}' yields a database {kind} and nothing rolls back what a test commits: the next test sees "
    "it (closing a session only drops uncommitted work); roll back an outer transaction at teardown "
    "(join_transaction_mode='create_savepoint'), or recreate the schema",
    "a session fixture that never rolls back",
)
ATS302 = Code(
    "ATS302",
    "fixture '{name}' yields inside '{call}': the block commits when the fixture resumes, so every test's "
    "writes persist; yield outside it and roll back an outer transaction at teardown",
    "a fixture yields inside a begin() block",
)
ATS303 = Code(
    "ATS303",
    "fixture '{name}' shares one database {kind} across a whole {scope}: its tests share one transaction "
    "state and see each other's writes; make it function-scoped (an engine may stay {scope}-scoped)",
    "a session or connection fixture with a scope wider than function",
)

SESSION, CONNECTION, ENGINE, SESSIONMAKER = "session", "connection", "engine", "sessionmaker"
SESSION_CLASSES = frozenset(
    {
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlalchemy.ext.asyncio.AsyncSession",
        "sqlalchemy.ext.asyncio.session.AsyncSession",
        "sqlmodel.Session",
        "sqlmodel.orm.session.Session",
        "sqlmodel.ext.asyncio.session.AsyncSession",
    }
)
CONNECTION_CLASSES = frozenset(
    {
        "sqlalchemy.Connection",
        "sqlalchemy.engine.Connection",
        "sqlalchemy.engine.base.Connection",
        "sqlalchemy.ext.asyncio.AsyncConnection",
        "sqlalchemy.ext.asyncio.engine.AsyncConnection",
    }
)
ENGINE_CLASSES = frozenset(
    {
        "sqlalchemy.Engine",
        "sqlalchemy.engine.Engine",
        "sqlalchemy.engine.base.Engine",
        "sqlalchemy.ext.asyncio.AsyncEngine",
        "sqlalchemy.ext.asyncio.engine.AsyncEngine",
    }
)
SESSIONMAKERS = frozenset(
    {
        "sqlalchemy.orm.sessionmaker",
        "sqlalchemy.orm.session.sessionmaker",
        "sqlalchemy.orm.scoped_session",
        "sqlalchemy.ext.asyncio.async_sessionmaker",
        "sqlalchemy.ext.asyncio.session.async_sessionmaker",
        "sqlalchemy.ext.asyncio.async_scoped_session",
    }
)
ENGINE_FACTORIES = frozenset(
    {
        "sqlalchemy.create_engine",
        "sqlalchemy.engine.create_engine",
        "sqlalchemy.ext.asyncio.create_async_engine",
        "sqlalchemy.ext.asyncio.engine.create_async_engine",
        "sqlmodel.create_engine",
    }
)
ANNOTATED_KINDS = {
    **{name: SESSION for name in SESSION_CLASSES},
    **{name: CONNECTION for name in CONNECTION_CLASSES},
    **{name: ENGINE for name in ENGINE_CLASSES},
}
BEGIN_OWNERS = frozenset({SESSION, CONNECTION, ENGINE, SESSIONMAKER})
"""`X.begin()` as a context manager commits on a clean exit for each of these."""
UNDOING_METHODS = frozenset({"rollback", "begin_nested", "drop_all", "delete", "truncate"})
"""`session.rollback()`, a savepoint, `metadata.drop_all`, `session.execute(delete(...))`, cleanup calls."""
UNDOING_SQL = ("truncate", "drop table", "drop schema", "drop database", "delete from")
IN_MEMORY_URLS = (":memory:", "mode=memory")
DB_MODULES = ("sqlalchemy", "sqlmodel")
KNOWN_LIBRARIES = ("sqlalchemy", "sqlmodel", "asyncio", "logging", "pytest", "contextlib", "os", "sys", "time")
"""Teardown calls into these do not clean a database up behind the plugin's back."""
BUILTIN_NAMES = frozenset(dir(builtins))


class DbFixtures(RuleFamily):
    codes = (ATS301, ATS302, ATS303)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        context = self.context
        self.kinds = DbKinds(context, context.module, context.settings.session_factories)
        self.active = _mentions_databases(context.module.imports, context.settings.session_factories)
        self._fixtures: dict[ast.AST, FixtureBody] = {}

    # -- fixture bodies -------------------------------------------------------------------

    def enter_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter_function(node)

    def enter_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter_function(node)

    def _enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self.active:
            return
        collected = self.collected_def(node)
        fixture = self.context.fixture_defined_by(collected[0]) if collected else None
        if fixture is None or collected is None:
            return
        body = FixtureBody(fixture, collected[1])
        for argument in all_arguments(node.args):
            kind = self.kinds.annotated(argument.annotation)
            if kind is None:
                requested = self.context.fixture_named(argument.arg, body.classes, skip=fixture)
                kind = ENGINE if requested is not None and _makes_engine(self, requested) else None
            body.names[argument.arg] = (kind, False)
        self._fixtures[node] = body

    def _body(self) -> FixtureBody | None:
        """The fixture whose own body the walk is in (not a function nested in it)."""
        if not self._fixtures:
            return None
        return self._fixtures.get(self.walk.scopes[-1].node)

    def enter_Assign(self, node: ast.Assign) -> None:
        body = self._body()
        if body is not None:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    body.bind(target.id, node.value, self.kinds.of(node.value, body.names))

    def enter_AnnAssign(self, node: ast.AnnAssign) -> None:
        body = self._body()
        if body is not None and isinstance(node.target, ast.Name):
            kind = self.kinds.of(node.value, body.names) if node.value is not None else None
            body.bind(node.target.id, node.value, kind or self.kinds.annotated(node.annotation))

    def enter_With(self, node: ast.With) -> None:
        self._enter_with(node)

    def enter_AsyncWith(self, node: ast.AsyncWith) -> None:
        self._enter_with(node)

    def _enter_with(self, node: ast.With | ast.AsyncWith) -> None:
        body = self._body()
        if body is None:
            return
        for item in node.items:
            expr = item.context_expr
            kind = self.kinds.entered(expr, body.names)
            if isinstance(item.optional_vars, ast.Name):
                body.bind(item.optional_vars.id, expr, kind)
            if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "begin":
                owner = self.kinds.of(expr.func.value, body.names)
                if owner in BEGIN_OWNERS:
                    body.begin_blocks.append((node, expr))

    def enter_For(self, node: ast.For) -> None:
        self._enter_for(node)

    def enter_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._enter_for(node)

    def _enter_for(self, node: ast.For | ast.AsyncFor) -> None:
        """`async for session in get_session():` a factory that is a generator."""
        body = self._body()
        if body is not None and isinstance(node.target, ast.Name):
            kind = self.kinds.of(node.iter, body.names) if isinstance(node.iter, ast.Call) else None
            body.bind(node.target.id, node.iter, kind)

    def enter_Call(self, node: ast.Call) -> None:
        """Calls anywhere in the fixture count, those of helpers defined inside it included."""
        if not self._fixtures:
            return
        body = next((self._fixtures[s.node] for s in reversed(self.walk.scopes) if s.node in self._fixtures), None)
        if body is None or body.undoes:
            return
        if self.kinds.undoes_commits(node) or (body.yields and self.kinds.teardown_call_may_undo(node)):
            body.undoes = True

    def enter_Yield(self, node: ast.Yield) -> None:
        body = self._body()
        if body is not None:
            body.yields.append(node)
            self._provide(body, node.value)

    def enter_Return(self, node: ast.Return) -> None:
        body = self._body()
        if body is not None:
            self._provide(body, node.value)

    def _provide(self, body: FixtureBody, value: ast.expr | None) -> None:
        if value is None:
            return
        if isinstance(value, ast.Name):
            kind, made_here = body.names.get(value.id, (None, False))
        else:
            kind, made_here = self.kinds.of(value, body.names), True
        if kind in (SESSION, CONNECTION) and body.provided is None:
            body.provided = kind, made_here

    def leave_FunctionDef(self, node: ast.FunctionDef, scope: Scope) -> None:
        self._leave_function(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, scope: Scope) -> None:
        self._leave_function(node)

    # -- decisions ------------------------------------------------------------------------

    def _leave_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        body = self._fixtures.pop(node, None) if self._fixtures else None
        if body is None or body.provided is None:
            return
        fixture, (kind, made_here) = body.fixture, body.provided
        if not made_here:
            return  # passed on from a parameter: the fixture that made it answers for it
        if fixture.scope in ("class", "module", "package", "session"):
            self.report(ATS303, node, name=fixture.name, kind=kind, scope=fixture.scope)
        if not body.yields or body.undoes or self._reset_by_other_fixtures(body):
            return
        in_begin = [call for block, call in body.begin_blocks if any(_inside(y, block) for y in body.yields)]
        for call in in_begin:
            self.report(ATS302, call, name=fixture.name, call=ScopeTracker.describe(call))
        if not in_begin:
            self.report(ATS301, node, name=fixture.name, kind=kind)

    def _reset_by_other_fixtures(self, body: FixtureBody) -> bool:
        """A function-scoped fixture the test also gets (requested, autouse) that rolls back,
        cleans up or makes the database per test."""
        fixture = body.fixture
        closure = self.context.fixture_closure(fixture.requests, body.classes)
        for definitions in closure.values():
            for other in definitions:
                if other is not fixture and other.scope in ("function", None) and _resets_database(self, other):
                    return True
        return False


class FixtureBody:
    """What the walk has seen in one fixture's own body so far."""

    __slots__ = ("fixture", "classes", "names", "begin_blocks", "yields", "undoes", "provided")

    def __init__(self, fixture: Fixture, classes: list[ClassFacts]) -> None:
        self.fixture = fixture
        self.classes = classes
        self.names: dict[str, Binding] = {}
        self.begin_blocks: list[tuple[ast.With | ast.AsyncWith, ast.Call]] = []
        self.yields: list[ast.Yield] = []
        self.undoes = False
        self.provided: tuple[str, bool] | None = None
        """(session or connection, made in this fixture) once a yield or return hands one out."""

    def bind(self, name: str, value: ast.expr | None, kind: str | None) -> None:
        """`s = other_name` holds what the other name holds; anything else is made here."""
        if isinstance(value, ast.Name):
            self.names[name] = self.names.get(value.id, (kind, True))
        else:
            self.names[name] = (kind, True)


class DbKinds:
    """What a name or call in one module is: a session, a connection, an engine, a sessionmaker."""

    def __init__(self, context: FileContext, module: ModuleFacts, factories: frozenset[str]) -> None:
        self.context = context
        self.module = module
        self.imports = module.imports
        self.factories = factories

    def annotated(self, annotation: ast.expr | None) -> str | None:
        """`AsyncSession`, `Session`, `AsyncConnection`, `Connection`, `AsyncEngine`, `Engine`."""
        if annotation is None:
            return None
        return ANNOTATED_KINDS.get(self.imports.qualified_name(annotation) or "")

    def of(self, expr: ast.expr | None, names: dict[str, Binding], depth: int = 0) -> str | None:
        if depth > 5 or expr is None:
            return None
        if isinstance(expr, ast.Await):
            return self.of(expr.value, names, depth + 1)
        if isinstance(expr, ast.Name):
            if expr.id in names:
                return names[expr.id][0]
            return self._module_level(expr.id, depth)
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        qualified = self.imports.qualified_name(func)
        if qualified in SESSION_CLASSES:
            return SESSION
        if qualified in SESSIONMAKERS:
            return SESSIONMAKER
        if qualified in ENGINE_FACTORIES:
            return ENGINE
        if self._is_declared_factory(func, qualified):
            return SESSION
        if isinstance(func, ast.Attribute):
            owner = self.of(func.value, names, depth + 1)
            if owner == ENGINE and func.attr in ("connect", "begin"):
                return CONNECTION
            if owner == SESSIONMAKER and func.attr == "begin":
                return SESSION
            return None
        return SESSION if self.of(func, names, depth + 1) == SESSIONMAKER else None

    def entered(self, expr: ast.expr, names: dict[str, Binding]) -> str | None:
        """What `with EXPR as name` binds: the session or connection itself, a connection for
        `engine.begin()`, a session for `sessionmaker.begin()`."""
        kind = self.of(expr, names)
        return kind if kind in (SESSION, CONNECTION) else None

    def _module_level(self, name: str, depth: int) -> str | None:
        """`SessionLocal = async_sessionmaker(...)` here, or in a project module it comes from."""
        call = self.module.assigned_calls.get(name)
        if call is not None:
            return self.of(call, {}, depth + 1)
        qualified = self.imports.aliases.get(name)
        if qualified is None or qualified.startswith(DB_MODULES):
            return None
        found = self.context.coroutine_resolver.project_assignment(qualified, self.module.path)
        if found is None:
            return None
        module, call = found
        return DbKinds(self.context, module, self.factories).of(call, {}, depth + 1)

    def _is_declared_factory(self, func: ast.expr, qualified: str | None) -> bool:
        if not self.factories:
            return False
        if qualified is not None and qualified in self.factories:
            return True
        last = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        return last is not None and last in self.factories

    def undoes_commits(self, call: ast.Call) -> bool:
        """A call that may reset what tests wrote: a rollback or savepoint, dropping, deleting or
        truncating, a savepoint-joining session, an engine for an in-memory database."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in UNDOING_METHODS:
            return True
        if keyword(call, "join_transaction_mode") is not None:
            return True
        qualified = self.imports.qualified_name(func)
        if qualified is not None and qualified.rpartition(".")[2] in UNDOING_METHODS:
            return True  # `sqlalchemy.delete(User)`
        for argument in call.args:
            if isinstance(argument, ast.Attribute) and argument.attr in UNDOING_METHODS:
                return True  # `conn.run_sync(Base.metadata.drop_all)`
            text = literal_string(argument)
            if text is not None and any(sql in text.lower() for sql in UNDOING_SQL):
                return True
        if qualified in ENGINE_FACTORIES:
            return self._may_be_fresh_database(call)
        return False

    def teardown_call_may_undo(self, call: ast.Call) -> bool:
        """A function called after the yield: look into it if it is the project's own (one
        level); a function out of sight may clean up (silence over a guess)."""
        func = call.func
        if not isinstance(func, ast.Name) or func.id in BUILTIN_NAMES:
            return False
        definition = self.module.top_level_functions.get(func.id)
        if definition is None:
            qualified = self.imports.aliases.get(func.id)
            if qualified is None:
                return False  # a name bound inside the fixture: its def (if any) is walked too
            definition = self.context.coroutine_resolver.project_definition(qualified, self.module.path)
            if definition is None:
                return not qualified.startswith(KNOWN_LIBRARIES)
        return _undoes_commits_in(definition.node, self)

    def makes_engine(self, call: ast.Call) -> bool:
        return self.imports.qualified_name(call.func) in ENGINE_FACTORIES

    def _may_be_fresh_database(self, call: ast.Call) -> bool:
        """An engine made in a function-scoped fixture: a new database unless its URL is
        known to name a shared one."""
        url = call.args[0] if call.args else keyword(call, "url")
        if isinstance(url, ast.Name):
            assigned = self.module.assigned_calls.get(url.id)
            url = assigned if assigned is not None else url
        text = literal_string(url)
        if text is None:
            return True  # a URL we cannot read (tmp_path, an environment variable): may be per test
        return any(marker in text for marker in IN_MEMORY_URLS) or text.rstrip("/").endswith("sqlite:")


def _inside(node: ast.AST, block: ast.AST) -> bool:
    start, end = block.lineno, getattr(block, "end_lineno", None) or block.lineno  # type: ignore[attr-defined]
    return start <= node.lineno <= end  # type: ignore[attr-defined]


def _mentions_databases(imports: ImportMap, factories: frozenset[str]) -> bool:
    """Only modules that import SQLAlchemy or SQLModel, a name that sounds like a session or
    engine, or a declared factory, have fixtures worth following."""
    if factories:
        return True
    for local, qualified in imports.aliases.items():
        if qualified.startswith(DB_MODULES):
            return True
        lowered = local.lower()
        if "session" in lowered or "engine" in lowered or lowered.endswith("db"):
            return True
    return False


_RESETS: weakref.WeakKeyDictionary[ast.AST, bool] = weakref.WeakKeyDictionary()
_ENGINES: weakref.WeakKeyDictionary[ast.AST, bool] = weakref.WeakKeyDictionary()


def _undoes_commits_in(function: ast.AST, kinds: DbKinds) -> bool:
    """Does a function (helpers defined inside it included) make a call that may undo commits?"""
    return _any_call(function, kinds, _RESETS, DbKinds.undoes_commits)


def _resets_database(family: DbFixtures, fixture: Fixture) -> bool:
    """Does another fixture roll back, clean up or make a per-test database?"""
    kinds = _kinds_of(family, fixture)
    return kinds is not None and _undoes_commits_in(fixture.node, kinds)


def _makes_engine(family: DbFixtures, fixture: Fixture) -> bool:
    """Does a fixture create an engine (`create_async_engine(...)`)? Then what it gives is one."""
    kinds = _kinds_of(family, fixture)
    return kinds is not None and _any_call(fixture.node, kinds, _ENGINES, DbKinds.makes_engine)


def _kinds_of(family: DbFixtures, fixture: Fixture) -> DbKinds | None:
    """Names as the fixture's own module (maybe a conftest) sees them."""
    module = family.context.module if fixture.path == family.context.filename else facts_of_file(fixture.path)
    return DbKinds(family.context, module, family.kinds.factories) if module else None


def _any_call(
    function: ast.AST,
    kinds: DbKinds,
    cache: weakref.WeakKeyDictionary[ast.AST, bool],
    matches: Callable[[DbKinds, ast.Call], bool],
) -> bool:
    """Whether any call in a function matches; each function is read once per process."""
    found = cache.get(function)
    if found is None:
        found = cache[function] = any(
            isinstance(node, ast.Call) and matches(kinds, node) for node in ast.walk(function)
        )
    return found
