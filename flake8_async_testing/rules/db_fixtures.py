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
from typing import Callable, Optional

from ..inference import source_text
from ..libraries import CONNECTION, ENGINE, ENGINE_FACTORIES, SESSION, SESSIONMAKER, db_kind
from ..names import ImportMap, NamesBoundIn, keyword, literal_string, qualified_name
from ..project import PROJECT
from ..module_facts import ClassFacts, Fixture, ModuleFacts, within_lines
from ..values import Value
from .base import Code, RuleFamily

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

BEGIN_OWNERS = frozenset({SESSION, CONNECTION, ENGINE, SESSIONMAKER})
"""`X.begin()` as a context manager commits on a clean exit for each of these."""
CLEARING_METHODS = frozenset({"drop_all", "delete", "truncate"})
"""`metadata.drop_all`, `session.execute(delete(...))`, cleanup calls: the tables are emptied for everyone."""
UNDOING_METHODS = CLEARING_METHODS | {"rollback", "begin_nested"}
"""Those, `session.rollback()` and a savepoint."""
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
        self.resets = Resets(context.module, context.search_roots)
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
        fixture = self.context.fixtures.fixture_defined_by(collected[0]) if collected else None
        if fixture is not None and collected is not None:
            self._fixtures[node] = FixtureBody(fixture, collected[1])

    def _body(self) -> FixtureBody | None:
        """The fixture whose own body the walk is in (not a function nested in it)."""
        if not self._fixtures:
            return None
        return self._fixtures.get(self.model.statement_frame.node)

    def _kind(self, expr: ast.expr) -> str | None:
        return db_kind(self.model.type_of(expr))

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
            if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "begin":
                if self._kind(expr.func.value) in BEGIN_OWNERS:
                    body.begin_blocks.append((node, expr))

    def enter_Call(self, node: ast.Call) -> None:
        """Calls anywhere in the fixture count, those of helpers defined inside it included."""
        if not self._fixtures:
            return
        frames = self.model.frames_outward()
        body = next((self._fixtures[f.node] for f in frames if f.node in self._fixtures), None)
        if body is None or body.undoes:
            return
        resolve, resets = self.model.qualified_name, self.resets
        if resets.undoes_commits(node, resolve) or (body.yields and resets.teardown_call_may_undo(node, resolve)):
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
        """A session or connection handed out, and whether this fixture made it (not one a
        parameter or a module-level name holds)."""
        if value is None or body.provided is not None:
            return
        provided: Value | None
        if isinstance(value, ast.Name):
            binding = self.model.binding_of(value.id)
            own = self.model.statement_frame.bindings.get(value.id)
            if binding is None or binding.value is None or own is not binding:
                return
            provided, made_here = binding.value, binding.value.made_here
        else:
            provided, made_here = self.model.value_of(value), True
        kind = db_kind(provided.type_name) if provided is not None else None
        if kind in (SESSION, CONNECTION):
            body.provided = kind, made_here

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._leave_function(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
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
        in_begin = [call for block, call in body.begin_blocks if any(within_lines(y, block) for y in body.yields)]
        for call in in_begin:
            self.report(ATS302, call, name=fixture.name, call=source_text(call))
        if not in_begin and not self._reset_by_siblings(body):
            self.report(ATS301, node, name=fixture.name, kind=kind)

    def _reset_by_other_fixtures(self, body: FixtureBody) -> bool:
        """A function-scoped fixture the test also gets (requested, autouse) that rolls back,
        cleans up or makes the database per test."""
        fixture = body.fixture
        closure = self.context.fixtures.fixture_closure(fixture.requests, body.classes)
        for definitions in closure.values():
            for other in definitions:
                if other is not fixture and other.scope in ("function", None) and _resets_database(self, other):
                    return True
        return False

    def _reset_by_siblings(self, body: FixtureBody) -> bool:
        """A function-scoped fixture that every test of this module requesting the fixture also
        gets, and that resets the database (`truncate_tables` beside `session`). For a conftest's
        fixture, whose tests are elsewhere, any such fixture of the conftest may be that sibling."""
        fixture = body.fixture
        context = self.context
        module = context.module
        resetting = [
            other
            for other in module.fixture_by_def.values()
            if other is not fixture and other.scope in ("function", None) and _clears_tables_in(other.node, self.resets)
        ]
        if not resetting:
            return False
        requesters = [
            (definition, classes)
            for definition, classes in context.collection.collected_tests()
            if fixture.name in definition.requested_fixtures(is_method=bool(classes))
        ]
        if not requesters:
            return context.is_conftest
        for definition, classes in requesters:
            requested = definition.requested_fixtures(is_method=bool(classes))
            requested += [name for name, _ in context.collection.usefixtures_arguments(definition, classes)]
            closure = context.fixtures.fixture_closure(requested, classes)
            if not any(other in closure.get(other.name, ()) for other in resetting):
                return False
        return True


class FixtureBody:
    """What the walk has seen in one fixture's own body so far."""

    __slots__ = ("fixture", "classes", "begin_blocks", "yields", "undoes", "provided")

    def __init__(self, fixture: Fixture, classes: list[ClassFacts]) -> None:
        self.fixture = fixture
        self.classes = classes
        self.begin_blocks: list[tuple[ast.With | ast.AsyncWith, ast.Call]] = []
        self.yields: list[ast.Yield] = []
        self.undoes = False
        self.provided: tuple[str, bool] | None = None
        """(session or connection, made in this fixture) once a yield or return hands one out."""


Resolver = Callable[[ast.AST], Optional[str]]
"""Dotted names as the code around a call sees them: the semantic model's in the walk, the same
resolver over a def's own names for a def read after it (`Resets.resolver_in`)."""


class Resets:
    """Which calls of one module (the checked one, or a conftest's) may undo what tests commit."""

    def __init__(self, module: ModuleFacts, roots: tuple[str, ...]) -> None:
        self.module = module
        self.roots = roots
        """Where the project's own modules are found (helpers called at teardown)."""
        self.imports = module.imports

    def resolver_in(self, function: ast.AST) -> Resolver:
        """Names as the code of a def (not walked) sees them: its own imports and names, then
        the module's."""
        local = NamesBoundIn([function])
        return lambda expr: qualified_name(expr, self.imports, local)

    def undoes_commits(self, call: ast.Call, resolve: Resolver) -> bool:
        """A call that may reset what tests wrote: a rollback or savepoint, dropping, deleting or
        truncating, a savepoint-joining session, an engine for an in-memory database."""
        if self.clears_tables(call, resolve, UNDOING_METHODS):
            return True
        if keyword(call, "join_transaction_mode") is not None:
            return True
        if resolve(call.func) in ENGINE_FACTORIES:
            return self._may_be_fresh_database(call)
        return False

    def clears_tables(self, call: ast.Call, resolve: Resolver, methods: frozenset[str] = CLEARING_METHODS) -> bool:
        """Dropping, deleting or truncating (`metadata.drop_all`, `delete(User)`, `TRUNCATE ...`,
        `conn.run_sync(Base.metadata.drop_all)`), or with `methods` another of these calls."""
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in methods:
            return True
        qualified = resolve(func)
        if qualified is not None and qualified.rpartition(".")[2] in methods:
            return True  # `sqlalchemy.delete(User)`
        for argument in call.args:
            if isinstance(argument, ast.Attribute) and argument.attr in methods:
                return True  # `conn.run_sync(Base.metadata.drop_all)`
            text = literal_string(argument)
            if text is not None and any(sql in text.lower() for sql in UNDOING_SQL):
                return True
        return False

    def teardown_call_may_undo(self, call: ast.Call, resolve: Resolver) -> bool:
        """A function called after the yield: look into it if it is the project's own (one
        level); a function out of sight may clean up (silence over a guess)."""
        func = call.func
        if not isinstance(func, ast.Name) or func.id in BUILTIN_NAMES:
            return False
        definition = self.module.top_level_functions.get(func.id)
        if definition is None:
            qualified = resolve(func)
            if qualified is None:
                return False  # a name bound inside the fixture: its def (if any) is walked too
            roots = self.roots
            definition = PROJECT.definition(qualified, self.module.path, roots)
            if definition is None:
                return not qualified.startswith(KNOWN_LIBRARIES)
        return _undoes_commits_in(definition.node, self)

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


def _undoes_commits_in(function: ast.AST, resets: Resets) -> bool:
    """Does a function (helpers defined inside it included) make a call that may undo commits?
    Each function is read once per process."""
    return PROJECT.per_definition(
        ("undoes commits", resets.roots),
        function,
        lambda: _any_call(function, lambda call, resolve: resets.undoes_commits(call, resolve), resets),
    )


def _clears_tables_in(function: ast.AST, resets: Resets) -> bool:
    """Does a fixture drop, delete or truncate tables (its own rollback is not enough for a sibling)?"""
    return PROJECT.per_definition(
        ("clears tables", resets.roots),
        function,
        lambda: _any_call(function, resets.clears_tables, resets),
    )


def _any_call(function: ast.AST, test: Callable[[ast.Call, Resolver], bool], resets: Resets) -> bool:
    resolve = resets.resolver_in(function)
    return any(isinstance(node, ast.Call) and test(node, resolve) for node in ast.walk(function))


def _resets_database(family: DbFixtures, fixture: Fixture) -> bool:
    """Does another fixture roll back, clean up or make a per-test database? Names as the
    fixture's own module (maybe a conftest) sees them."""
    module = family.context.module if fixture.path == family.context.filename else PROJECT.facts_of_file(fixture.path)
    return module is not None and _undoes_commits_in(fixture.node, Resets(module, family.context.search_roots))
