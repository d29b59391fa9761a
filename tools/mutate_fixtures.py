"""Mutation test of ATS101 on objects that arrive as fixture parameters: remove one `await`.

Default mode. The oracle is independent of the plugin's value model: a fixture (any def under a
decorator whose name ends in `fixture`, in a test module or a conftest of the project) is taken
to hand over
  - a client: it yields / returns `AsyncClient(...)` (httpx), directly or as `async with
    AsyncClient(...) as name: yield name`, or its return annotation names `AsyncClient`;
  - a session: the same with `AsyncSession`, or `async with <a name bound to
    async_sessionmaker(...)>() as name`;
  - an AsyncMock: it returns / yields `AsyncMock(...)` or `mocker.AsyncMock(...)`;
  - an instance of a project class: it returns / yields `ClassName(...)` for a class of the
    project's own (non-test) modules with `async def` methods;
and only where the fixture name is defined once in the project (no override to choose between).
Parameters the test annotates count too (shown apart: the plugin knew those before it followed
fixture values).
For every `await param.method(...)` in a test of that project, where `param` requests such a
fixture and `method` is an async method of what it hands over (any method for an AsyncMock),
standing where RULES.md says a missing await must be found (an expression statement, an
assignment to a name, an assert, a comparison, an if/while test), one mutant removes that
`await`; it counts as flagged when flake8 (run from the project's root, ATS101 only) reports
ATS101 on the call's line.

--any-fixture mode: whatever the fixture hands over. Sites: every `await p.a.b(...)` (a chain of
one or more attributes off a name) in a collected async test (an `async def` matching
python_functions at module level or in a python_classes class without `__init__`; the patterns
are read from the project root's pytest config, pytest's defaults otherwise), where `p` is a
parameter pytest fills (no default, not self/cls, not given by a non-indirect `parametrize` on
the test or its classes, never rebound in the test) that names a fixture defined in the project:
in the test module itself or in a conftest.py of its folder or one above, up to the project
root (the nearest definition is taken; names defined more than once there are shown apart).
Awaits in functions nested in the test are not sites. The await must stand in a checked
position (as above, `in_checked_position`); `x = await ...` with `x` later passed as an argument
in the test is left out (the rule stays silent there). Each site is one mutant, that single
`await` removed, written over the file and put back at once; flake8 runs from the project's root
on that file (`--isolated --select ATS101`). The oracle is the removal itself: every such call
was awaited by the suite, so its unawaited form is taken to be a missing await; a call that
returns a Future or other non-coroutine awaitable counts as missed too.
A mutant is flagged when ATS101 is reported on the call's line, and classed by the message:
"by habit" when it says `(awaited in N other place(s) of the suite, ...)`, "by type" when it
says `(a coroutine function)`. recall = flagged / mutants, per project, per corpus and overall.
Missed mutants are bucketed from the original files: the call used un-awaited where a coroutine
would be a mistake (statement, assert / if / while test, comparison, attribute read or subscript
off it, `with`, `async for`) in the files that can request the fixture (the test module when it
defines the fixture, else every test module and conftest below the fixture's conftest); or
`await p.a.b(` found there as text fewer than 3 times (this site and fewer than 2 others); or
other. At most --max-per-project mutants per project (default 150; 0: all), chosen
deterministically and evenly across test modules (round robin over the modules, each module's
sites in an order seeded by the project's name). Projects run in --jobs processes (default 2),
one project per process at a time: the plugin reads the suite's other files, so two mutants of
one project never coexist.

Usage: python tools/mutate_fixtures.py [CORPUS_SRC ...] [--show-missed]   (run by hand;
default /tmp/ats-corpus/src)
       python tools/mutate_fixtures.py --any-fixture [CORPUS_SRC ...] [--max-per-project N]
           [--jobs N] [--examples N] [--show-missed]
e.g. python3 tools/mutate_fixtures.py --any-fixture /tmp/ats-corpus/src /tmp/ats-app-corpus/src
(about 5 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import ast
import collections
import configparser
import dataclasses
import fnmatch
import multiprocessing
import random
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutate_await import (  # noqa: E402
    CLIENT_METHODS,
    await_removed_is_flagged,
    count,
    in_checked_position,
    mutate,
    parsed_test_files,
    print_totals,
)
from mutate_mocks import project_classes  # noqa: E402

ANY_METHOD = "*"


def _last_name(node: ast.AST | None) -> str | None:
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _is_fixture(function: ast.AST) -> bool:
    return any((_last_name(d) or "").endswith("fixture") for d in getattr(function, "decorator_list", []))


def _fixture_name(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return function.name


def handed_over(function: ast.AST, classes: dict[str, tuple[set[str], list[str]]]) -> str | None:
    """`AsyncClient`, `AsyncSession`, `AsyncMock` or a project class name; None when unsure."""
    returns = getattr(function, "returns", None)
    annotated = ast.unparse(returns) if returns is not None else ""
    for kind in CLIENT_METHODS:
        if kind in annotated:
            return kind
    sessionmakers: set[str] = set()
    entered: dict[str, str] = {}
    kinds: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _last_name(node.value) == "async_sessionmaker":
            sessionmakers.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                made = _made(item.context_expr, sessionmakers)
                if made and isinstance(item.optional_vars, ast.Name):
                    entered[item.optional_vars.id] = made
        elif isinstance(node, (ast.Return, ast.Yield)) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Name):
                kinds.add(entered.get(value.id, "?"))
            else:
                kinds.add(_made(value, sessionmakers) or "?")
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind in CLIENT_METHODS or kind == "AsyncMock":
        return kind
    return kind if kind in classes and _async_methods(kind, classes) else None


def _made(expr: ast.expr, sessionmakers: set[str]) -> str | None:
    if not isinstance(expr, ast.Call):
        return None
    name = _last_name(expr.func)
    if isinstance(expr.func, ast.Name) and expr.func.id in sessionmakers:
        return "AsyncSession"
    return name


def _async_methods(name: str, classes: dict[str, tuple[set[str], list[str]]], depth: int = 0) -> set[str]:
    methods, bases = classes.get(name, (set(), []))
    found = set(methods)
    if depth < 5:
        for base in bases:
            found |= _async_methods(base, classes, depth + 1)
    return found


def fixtures_of(project: Path, classes) -> dict[str, str]:
    """Fixture name -> what it hands over, for names defined once in the project's test files."""
    definitions: dict[str, list[str | None]] = collections.defaultdict(list)
    for _, _, tree in parsed_test_files(project):
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_fixture(node):
                definitions[_fixture_name(node)].append(handed_over(node, classes))
    return {name: kinds[0] for name, kinds in definitions.items() if len(kinds) == 1 and kinds[0]}


def sites(tree: ast.Module, fixtures: dict[str, str], classes):
    """(await node, parent, kind) for awaits of fixture-provided objects' async methods in tests."""
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    for function in ast.walk(tree):
        is_test = isinstance(function, ast.AsyncFunctionDef) and function.name.startswith("test")
        if not is_test or _is_fixture(function):
            continue
        annotated = {arg.arg for arg in function.args.args if arg.annotation is not None}
        arguments = {arg.arg for arg in function.args.args}
        for node in ast.walk(function):
            if not (isinstance(node, ast.Await) and isinstance(node.value, ast.Call)):
                continue
            func = node.value.func
            if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
                continue
            receiver, method = func.value.id, func.attr
            kind = fixtures.get(receiver) if receiver in arguments else None
            if kind is None or _rebound(function, receiver):
                continue
            if kind == "AsyncMock":
                allowed = {ANY_METHOD}
            else:
                allowed = CLIENT_METHODS.get(kind) or _async_methods(kind, classes)
            if method in allowed or (ANY_METHOD in allowed and not method.startswith(("assert_", "_"))):
                label = kind if kind in CLIENT_METHODS or kind == "AsyncMock" else "project class"
                yield node, parents.get(node), label + (", annotated parameter" if receiver in annotated else "")


def _passed_on(parent: ast.AST | None, tree: ast.AST) -> bool:
    """`x = await f()` and later `g(x)`: RULES.md keeps ATS101 silent for a coroutine bound to
    a name that is passed on, so such a site is not a mutant the rule must find."""
    if not (isinstance(parent, ast.Assign) and isinstance(parent.targets[0], ast.Name)):
        return False
    name = parent.targets[0].id
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            if any(isinstance(a, ast.Name) and a.id == name for a in arguments):
                return True
    return False


def _rebound(function: ast.AST, name: str) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
    return False


# -- --any-fixture: every `await p.a.b(...)` on a parameter that names a project fixture ------


DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
SKIPPED_FOLDERS = ("node_modules", "site-packages", "__pycache__")
TYPE_MARK, HABIT_MARK = "(a coroutine function)", "(awaited in "
MISTAKE_USES = "un-awaited where a coroutine is a mistake"


def _pytest_options(project: Path) -> dict[str, tuple[str, ...]]:
    """python_files / python_functions / python_classes of the project's root config, if set."""
    found: dict[str, object] = {}
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        try:
            found = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("pytest", {}).get("ini_options", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            found = {}
    for name, section in (("pytest.ini", "pytest"), ("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(project / name, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        if parser.has_section(section):
            found = {**dict(parser.items(section)), **found}
    options = {}
    for key, default in (("python_files", DEFAULT_PYTHON_FILES), ("python_functions", ("test",)),
                         ("python_classes", ("Test",))):
        value = found.get(key, default)
        options[key] = tuple(value.split() if isinstance(value, str) else value)  # type: ignore[union-attr]
    return options


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    """pytest's rule: a pattern with glob characters is a glob, otherwise a prefix."""
    return any(
        fnmatch.fnmatch(name, pattern) if any(c in pattern for c in "*?[") else name.startswith(pattern)
        for pattern in patterns
    )


def _project_test_code(project: Path, python_files: tuple[str, ...]) -> list[Path]:
    """Test modules (by python_files) and conftests of a project, outside hidden/vendored folders."""
    found = []
    for path in sorted(project.rglob("*.py")):
        parts = path.relative_to(project).parts
        if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in parts[:-1]):
            continue
        if path.name == "conftest.py" or _matches(path.name, python_files):
            found.append(path)
    return found


def _fixture_names(tree: ast.Module) -> collections.Counter[str]:
    """How often each fixture name is defined in a module (at module level or in its classes)."""
    names: collections.Counter[str] = collections.Counter()
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ClassDef):
            stack.extend(node.body)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_fixture(node):
            names[_fixture_name(node)] += 1
    return names


def _test_functions(tree: ast.Module, options: dict[str, tuple[str, ...]]):
    """(async test def, enclosing classes) where pytest collects tests: the module's and its
    `Test*` classes' (those without `__init__`)."""

    def walk(body: list[ast.stmt], classes: tuple[ast.ClassDef, ...]):
        for node in body:
            if isinstance(node, ast.AsyncFunctionDef):
                if _matches(node.name, options["python_functions"]) and not _is_fixture(node):
                    yield node, classes
            elif isinstance(node, ast.ClassDef) and _matches(node.name, options["python_classes"]):
                if not any(isinstance(item, ast.FunctionDef) and item.name == "__init__" for item in node.body):
                    yield from walk(node.body, (*classes, node))

    yield from walk(tree.body, ())


def _parametrized(decorated: list[ast.AST]) -> set[str]:
    """Argument names given by `@...parametrize("a, b", ...)` on a test or its classes."""
    names: set[str] = set()
    for node in decorated:
        for decorator in getattr(node, "decorator_list", []):
            if isinstance(decorator, ast.Call) and _last_name(decorator.func) == "parametrize" and decorator.args:
                given = _strings(decorator.args[0], split=True)
                indirect = next((k.value for k in decorator.keywords if k.arg == "indirect"), None)
                if isinstance(indirect, ast.Constant) and indirect.value is True:
                    given = set()  # the fixture still runs, with request.param
                elif isinstance(indirect, (ast.List, ast.Tuple)):
                    given -= _strings(indirect, split=False)
                names |= given
    return names


def _strings(node: ast.expr, split: bool) -> set[str]:
    """"a, b" (split on commas) or ["a", "b"]."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {part.strip() for part in node.value.split(",")} if split else {node.value}
    if isinstance(node, (ast.List, ast.Tuple)):
        return {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def _fixture_parameters(function: ast.AsyncFunctionDef, classes: tuple[ast.ClassDef, ...]) -> set[str]:
    """Parameters pytest fills by name: no default, not self/cls, not parametrized."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaulted = {a.arg for a in positional[len(positional) - len(args.defaults):]} if args.defaults else set()
    defaulted |= {a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
    names = {a.arg for a in [*positional, *args.kwonlyargs]} - defaulted - {"self", "cls"}
    return names - _parametrized([function, *classes])


def _own_nodes(function: ast.AST):
    """The nodes of a function's body, not those of functions, lambdas or classes inside it."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _chain(func: ast.expr) -> tuple[str, tuple[str, ...]] | None:
    """`p.a.b` -> ("p", ("a", "b")); None unless attributes off a name."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or not parts:
        return None
    return func.id, tuple(reversed(parts))


def _call_text(name: str, path: tuple[str, ...]) -> str:
    return ".".join((name, *path))


@dataclasses.dataclass
class Mutant:
    project: str
    path: Path
    line: int
    call: str
    source: str
    fixture_file: Path
    overridden: bool
    annotation: str
    """The parameter's annotation in the test, "" when it has none."""
    node: ast.Await = dataclasses.field(repr=False)
    outcome: str = ""
    message: str = ""
    bucket: str = ""


def any_fixture_sites(project: Path, skipped: collections.Counter[str]) -> list[list[Mutant]]:
    """The mutants of a project, one list per test module (before sampling)."""
    options = _pytest_options(project)
    files = _project_test_code(project, options["python_files"])
    trees: dict[Path, tuple[bytes, ast.Module]] = {}
    for path in files:
        original = path.read_bytes()
        try:
            original.decode("utf-8")
            trees[path] = (original, ast.parse(original))
        except (SyntaxError, ValueError):  # UnicodeDecodeError too: the mutation edits UTF-8
            continue
    defined = {path: _fixture_names(tree) for path, (_, tree) in trees.items()}
    per_file: list[list[Mutant]] = []
    for path, (original, tree) in trees.items():
        if path.name == "conftest.py":
            continue
        chain = [path] + [folder / "conftest.py" for folder in [path.parent, *path.parent.parents]
                          if folder == project or project in folder.parents]
        lines = original.decode("utf-8").splitlines(keepends=True)
        parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        mutants: list[Mutant] = []
        for function, classes in _test_functions(tree, options):
            parameters = _fixture_parameters(function, classes)
            annotations = {
                a.arg: ast.unparse(a.annotation)
                for a in ast.walk(function.args)
                if isinstance(a, ast.arg) and a.annotation is not None
            }
            stored = {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
            for node in _own_nodes(function):
                if not (isinstance(node, ast.Await) and isinstance(node.value, ast.Call)):
                    continue
                found = _chain(node.value.func)
                if found is None or found[0] not in parameters:
                    continue
                name, attributes = found
                definers = [file for file in chain if defined.get(file, {}).get(name)]
                if not definers:
                    continue  # a fixture of a plugin or of pytest, not of the project
                parent = parents.get(node)
                if not in_checked_position(node, parent):
                    skipped["await where the rule stays silent (returned, an argument, ...)"] += 1
                elif name in stored:
                    skipped["parameter rebound in the test"] += 1
                elif _passed_on(parent, function):
                    skipped["bound, then passed on as an argument"] += 1
                elif mutate(lines, node) is None:
                    skipped["await and call not on one line"] += 1
                else:
                    overridden = len(definers) > 1 or defined[definers[0]][name] > 1
                    source = lines[node.lineno - 1].strip()
                    mutants.append(Mutant(project.name, path, node.value.lineno, _call_text(name, attributes),
                                          source, definers[0], overridden, annotations.get(name, ""), node))
        if mutants:
            per_file.append(mutants)
    return per_file


def sample(per_file: list[list[Mutant]], limit: int, seed: str) -> list[Mutant]:
    """At most `limit` mutants, evenly across files: round robin over the files, each file's
    mutants in a fixed shuffled order (seeded by the project's name)."""
    if limit <= 0 or sum(map(len, per_file)) <= limit:
        return [m for mutants in per_file for m in mutants]
    generator = random.Random(seed)
    queues = []
    for mutants in per_file:
        shuffled = list(mutants)
        generator.shuffle(shuffled)
        queues.append(shuffled)
    chosen: list[Mutant] = []
    while len(chosen) < limit:
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop())
    return sorted(chosen, key=lambda m: (str(m.path), m.line))


def ats101_messages(project: Path, path: Path) -> dict[int, list[str]]:
    """ATS101 messages by line, flake8 run from the project's root on the one file."""
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "ATS101", str(path.relative_to(project))],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode not in (0, 1) or "Traceback" in result.stderr:
        raise RuntimeError(f"flake8 failed on {path}:\n{result.stderr[-3000:]}")
    found: dict[int, list[str]] = collections.defaultdict(list)
    for line, message in re.findall(r"^[^:\n]+:(\d+):\d+: ATS101 (.*)$", result.stdout, re.M):
        found[int(line)].append(message)
    return found


def run_mutant(project: Path, mutant: Mutant) -> None:
    """Write the file with the one `await` removed, run flake8, put the file back; set outcome."""
    original = mutant.path.read_bytes()
    mutated = mutate(original.decode("utf-8").splitlines(keepends=True), mutant.node)
    assert mutated is not None
    try:
        mutant.path.write_text("".join(mutated), encoding="utf-8")
        messages = ats101_messages(project, mutant.path).get(mutant.line, [])
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        mutant.outcome, mutant.message = "error", str(error)
        return
    finally:
        mutant.path.write_bytes(original)
    mutant.message = " | ".join(messages)
    if not messages:
        mutant.outcome = "missed"
    elif any(HABIT_MARK in m for m in messages):
        mutant.outcome = "by habit"
    elif any(TYPE_MARK in m for m in messages):
        mutant.outcome = "by type"
    else:
        mutant.outcome = "other basis"


def _requesting_files(mutant: Mutant, python_files: tuple[str, ...]) -> list[Path]:
    """The test module (the fixture is its own), or every test module and conftest below the
    fixture's conftest."""
    if mutant.fixture_file == mutant.path:
        return [mutant.path]
    return _project_test_code(mutant.fixture_file.parent, python_files)


def miss_bucket(mutant: Mutant, python_files: tuple[str, ...]) -> str:
    """Why the suite shows no habit for the call, read from the original files."""
    name, *attributes = mutant.call.split(".")
    dotted = rb"\s*\.\s*".join(re.escape(part.encode()) for part in (name, *attributes))
    call = re.compile(rb"(?<![\w.])" + dotted + rb"\s*\(")
    awaited = 0
    mistakes: collections.Counter[str] = collections.Counter()
    for file in _requesting_files(mutant, python_files):
        text = file.read_bytes()
        for match in call.finditer(text):
            before = text[text.rfind(b"\n", 0, match.start()) + 1 : match.start()]
            awaited += bool(re.search(rb"\bawait\s*\(?\s*$", before))
        if call.search(text):
            mistakes.update(_mistaken_uses(text, name, tuple(attributes)))
    if mistakes:
        return f"used {MISTAKE_USES} ({', '.join(sorted(mistakes))}) in files that can request the fixture"
    if awaited - 1 < 2:
        others = f"{max(awaited - 1, 0)} other time{'' if awaited - 1 == 1 else 's'}"
        return f"awaited {others} (fewer than 2; as text) in files that can request the fixture"
    return "other: awaited >= 2 other times as text, no mistaken use seen" + (
        f", the test annotates the parameter {mutant.annotation}" if mutant.annotation else ""
    )


def _mistaken_uses(text: bytes, name: str, attributes: tuple[str, ...]) -> collections.Counter[str]:
    """Un-awaited uses of `name.attributes(...)` where a coroutine would be a mistake, by kind."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return collections.Counter()
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    kinds: collections.Counter[str] = collections.Counter()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _chain(node.func) == (name, attributes)):
            continue
        child, parent = node, parents.get(node)
        while isinstance(parent, ast.BoolOp) or (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)):
            child, parent = parent, parents.get(parent)
        if isinstance(parent, ast.Expr):
            kinds["statement"] += 1
        elif isinstance(parent, (ast.Assert, ast.If, ast.While)) and parent.test is child:
            kinds["test"] += 1
        elif isinstance(parent, ast.Compare):
            kinds["comparison"] += 1
        elif isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is node:
            kinds["attribute read"] += 1
        elif isinstance(parent, ast.withitem):
            kinds["with"] += 1
        elif isinstance(parent, ast.AsyncFor) and parent.iter is node:
            kinds["async for"] += 1
    return kinds


def any_fixture_project(job: tuple[Path, int]) -> tuple[str, list[Mutant], collections.Counter[str], int]:
    """All of one project's mutants, in one process (a mutant is seen by the whole suite's reading)."""
    project, limit = job
    skipped: collections.Counter[str] = collections.Counter()
    per_file = any_fixture_sites(project, skipped)
    found = sum(map(len, per_file))
    chosen = sample(per_file, limit, project.name)
    python_files = _pytest_options(project)["python_files"]
    for mutant in chosen:
        run_mutant(project, mutant)
        if mutant.outcome == "missed":
            mutant.bucket = miss_bucket(mutant, python_files)
        mutant.node = None  # type: ignore[assignment]  # not sent back to the parent process
    print(f"  {project.name}: {len(chosen)} of {found} mutants run", file=sys.stderr, flush=True)
    return project.name, chosen, skipped, found


ROW = "{:66} {:>7} {:>7} {:>7} {:>7} {:>7}"


def _row(label: str, mutants: list[Mutant]) -> str:
    outcomes = collections.Counter(m.outcome for m in mutants)
    scored = len(mutants) - outcomes["error"]
    flagged = scored - outcomes["missed"]
    rate = f"{flagged / scored:.1%}" if scored else ""
    return ROW.format(label[:66], scored, outcomes["by type"], outcomes["by habit"], outcomes["missed"], rate) + (
        f"  ({outcomes['other basis']} other basis, {outcomes['error']} errors)"
        if outcomes["other basis"] or outcomes["error"] else ""
    )


def _examples(mutants: list[Mutant], number: int) -> list[Mutant]:
    """`number` of the mutants, from as many files as there are (in order otherwise)."""
    chosen: list[Mutant] = []
    files: set[Path] = set()
    for fresh_files_only in (True, False):
        for mutant in mutants:
            if len(chosen) < number and mutant not in chosen and (mutant.path not in files or not fresh_files_only):
                chosen.append(mutant)
                files.add(mutant.path)
    return chosen


def any_fixture_main(options: argparse.Namespace) -> int:
    started = time.monotonic()
    corpora = [Path(c) for c in options.corpora]
    jobs = [(project, options.max_per_project) for corpus in corpora for project in sorted(corpus.iterdir())
            if project.is_dir()]
    with multiprocessing.Pool(max(options.jobs, 1)) as pool:
        results = {name: rest for name, *rest in pool.imap_unordered(any_fixture_project, jobs)}
    everything: list[Mutant] = []
    skipped_all: collections.Counter[str] = collections.Counter()
    print(ROW.format("corpus / project", "mutants", "type", "habit", "missed", "recall"))
    for corpus in corpora:
        in_corpus: list[Mutant] = []
        for project, _ in [job for job in jobs if job[0].parent == corpus]:
            chosen, skipped, found = results[project.name]
            skipped_all.update(skipped)
            in_corpus += chosen
            print(_row(f"  {project.name}" + (f" [{len(chosen)} of {found}]" if found > len(chosen) else ""), chosen))
        print(_row(f"{corpus} TOTAL", in_corpus))
        everything += in_corpus
    print(_row("OVERALL", everything))
    print("(mutants: scored mutants; type / habit: flagged, the message says '(a coroutine function)' /")
    print(" '(awaited in N other place(s)...)'; recall = flagged / mutants)")
    print("\nnot mutated:", dict(skipped_all))
    print("by where the fixture is defined:")
    for label, test in (("in the test module", lambda m: m.fixture_file == m.path),
                        ("in a conftest", lambda m: m.fixture_file != m.path),
                        ("defined more than once in the chain (nearest taken)", lambda m: m.overridden),
                        ("parameter annotated in the test", lambda m: bool(m.annotation)),
                        ("chain of 2+ attributes (p.a.b(...))", lambda m: m.call.count(".") > 1)):
        print(_row(f"  {label}", [m for m in everything if test(m)]))
    missed = [m for m in everything if m.outcome == "missed"]
    buckets = collections.Counter(m.bucket for m in missed)
    print(f"\nmissed, by bucket ({len(missed)}):")
    for bucket, number in buckets.most_common():
        print(f"  {number:5d}  {bucket}")
        for mutant in _examples([m for m in missed if m.bucket == bucket], options.examples):
            print(f"           {mutant.path}:{mutant.line}: {mutant.source[:110]}")
    errors = [m for m in everything if m.outcome == "error"]
    if errors:
        print(f"\nerrors ({len(errors)}), the first:\n{errors[0].message}")
    if options.show_missed:
        print("\nmissed:")
        for mutant in missed:
            print(f"{mutant.path}:{mutant.line}: {mutant.source[:150]}  [{mutant.bucket}]")
    print(f"\n{len(everything)} mutants in {time.monotonic() - started:.0f}s with {options.jobs} processes")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=["/tmp/ats-corpus/src"])
    parser.add_argument("--show-missed", action="store_true")
    parser.add_argument("--any-fixture", action="store_true", help="any parameter naming a project fixture")
    parser.add_argument("--max-per-project", type=int, default=150, help="--any-fixture: cap (0: all)")
    parser.add_argument("--jobs", type=int, default=2, help="--any-fixture: processes (one project each)")
    parser.add_argument("--examples", type=int, default=5, help="--any-fixture: examples per miss bucket")
    options = parser.parse_args()
    if options.any_fixture:
        return any_fixture_main(options)
    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    missed: list[str] = []
    for corpus in options.corpora:
        for project in sorted(Path(corpus).iterdir()):
            if not project.is_dir():
                continue
            classes = project_classes(project)
            fixtures = fixtures_of(project, classes)
            if not fixtures:
                continue
            for path, original, tree in parsed_test_files(project):
                for node, parent, kind in sites(tree, fixtures, classes):
                    if not in_checked_position(node, parent):
                        continue
                    if _passed_on(parent, tree):
                        totals["(not mutated) bound, then passed on as an argument"]["mutants"] += 1
                        continue
                    hit = await_removed_is_flagged(project, path, original, node)
                    if hit is None:
                        continue
                    count(totals, (project.name, "(by kind) " + kind), hit)
                    if not hit:
                        missed.append(f"{path}:{node.lineno}: {ast.unparse(parent) if parent else ''}"[:200])
    print_totals(totals)
    if options.show_missed:
        print("\nmissed:")
        print("\n".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
