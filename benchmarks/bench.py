#!/usr/bin/env python3
"""Benchmark flake8-async-testing's checker against a bare AST walk and flake8-pytest-style.

Run by hand, not in CI. Standard library only (plus flake8-pytest-style when installed).

    python benchmarks/bench.py [FOLDER ...] [--repeat N] [--select ATS2,ATS3] [--end-to-end]

Every test file under the folders is read and parsed afresh before each round (untimed), and
every contender of the round runs over those same trees: as in flake8, where each file's tree is
new, no answer the checker keeps on a tree's nodes carries over from one pass to the next. Each
contender gets one untimed warm-up round (for the checker that pass fills its per-process
pytest-config, conftest and project-module caches, and its time is reported as the cold cost:
what one flake8 process pays), then the repeats are timed round-robin (bare, checker,
pytest-style, bare, ...) so that drift in machine load hits every contender alike. gc stays
enabled, as in a real flake8 run.
"""

from __future__ import annotations

import argparse
import ast
import os
import shlex
import statistics
import subprocess
import sys
import time
from typing import Any, Callable, Iterator

from flake8_async_testing.plugin import ALL_CODE_NAMES, check
from flake8_async_testing.settings import Settings

DEFAULT_FOLDERS = ["/tmp/ats-corpus/src"]
TEST_FOLDERS = {"tests", "test"}
SKIP_FOLDERS = {"__pycache__", ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "node_modules"}

Parsed = list[tuple[ast.Module, str]]
Runner = Callable[[Parsed], int]


# ---------------------------------------------------------------------------------------------
# collecting and parsing


def is_test_file(path: str) -> bool:
    name = os.path.basename(path)
    if not name.endswith(".py"):
        return False
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    parts = os.path.normpath(os.path.dirname(path)).split(os.sep)
    return any(part in TEST_FOLDERS for part in parts)


def collect_files(folders: list[str]) -> list[str]:
    seen: set[str] = set()
    files: list[str] = []
    for folder in folders:
        top = os.path.realpath(folder)
        if os.path.isfile(top):
            candidates: Iterator[str] = iter([top])
        else:
            candidates = _walk_files(top)
        for path in candidates:
            real = os.path.realpath(path)
            if real not in seen and os.path.isfile(real) and is_test_file(real):
                seen.add(real)
                files.append(real)
    return files


def _walk_files(top: str) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_FOLDERS and not d.startswith("."))
        for name in sorted(filenames):
            yield os.path.join(dirpath, name)


def parse_files(files: list[str]) -> tuple[Parsed, list[tuple[str, str]]]:
    parsed: Parsed = []
    failed: list[tuple[str, str]] = []
    for path in files:
        try:
            with open(path, "rb") as handle:
                source = handle.read()
            tree = ast.parse(source, filename=path)
        except (SyntaxError, ValueError, UnicodeDecodeError, OSError) as error:
            failed.append((path, f"{type(error).__name__}: {error}"))
            continue
        parsed.append((tree, path))
    return parsed, failed


def count_nodes(parsed: Parsed) -> int:
    return sum(1 for tree, _ in parsed for _ in ast.walk(tree))


# ---------------------------------------------------------------------------------------------
# contenders: each is a function that runs over every parsed tree once


class Bare(ast.NodeVisitor):
    pass


def run_bare(parsed: Parsed) -> int:
    for tree, _ in parsed:
        Bare().visit(tree)
    return 0


def make_checker(enabled: frozenset[str]) -> Runner:
    def run(parsed: Parsed) -> int:
        found = 0
        for tree, filename in parsed:
            found += len(check(tree, filename, Settings(), enabled))
        return found

    return run


class _RecordingOptionManager:
    """Stands in for flake8's OptionManager: records each option's dest and default."""

    def __init__(self) -> None:
        self.defaults: dict[str, Any] = {}

    def add_option(self, *args: str, **kwargs: Any) -> None:
        long_flag = next((a for a in args if a.startswith("--")), args[0])
        dest = kwargs.get("dest") or long_flag.lstrip("-").replace("-", "_")
        default = kwargs.get("default")
        if default is None and kwargs.get("action") == "store_true":
            default = False
        self.defaults[dest] = default


def make_pytest_style(parsed: Parsed) -> tuple[Runner | None, str]:
    """flake8-pytest-style's plugin set up as flake8 would, or None and the reason it can't be."""
    try:
        import flake8_pytest_style
        from flake8_pytest_style.plugin import PytestStylePlugin
    except Exception as error:  # not installed, or its flake8 / flake8-plugin-utils missing
        return None, f"not importable ({type(error).__name__}: {error})"
    try:
        manager = _RecordingOptionManager()
        PytestStylePlugin.add_options(manager)  # type: ignore[arg-type]
        options = argparse.Namespace(**manager.defaults)
        PytestStylePlugin.parse_options(manager, options, [])  # type: ignore[arg-type]

        def run(trees: Parsed) -> int:
            found = 0
            for tree, _ in trees:
                for _error in PytestStylePlugin(tree).run():
                    found += 1
            return found

        run(parsed)  # a smoke test, so that a setup problem is reported here and not mid-timing
    except Exception as error:
        return None, f"could not be set up ({type(error).__name__}: {error})"
    version = getattr(flake8_pytest_style, "__version__", None) or getattr(PytestStylePlugin, "version", "?")
    return run, f"flake8-pytest-style {version}"


# ---------------------------------------------------------------------------------------------
# timing


def timed(run: Runner, parsed: Parsed) -> tuple[float, int]:
    start = time.perf_counter()
    found = run(parsed)
    return time.perf_counter() - start, found


def select_codes(select: str | None) -> frozenset[str]:
    if not select:
        return ALL_CODE_NAMES
    prefixes = [p.strip().upper() for p in select.split(",") if p.strip()]
    enabled = frozenset(code for code in ALL_CODE_NAMES if any(code.startswith(p) for p in prefixes))
    if not enabled:
        sys.exit(f"--select {select!r} matches none of {', '.join(sorted(ALL_CODE_NAMES))}")
    return enabled


PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "pytest.ini")

NO_PLUGIN = """\
import sys
import flake8.plugins.finder as finder
found = list(finder._find_importlib_plugins())
kept = [p for p in found if p.package != "flake8-async-testing"]
if len(kept) == len(found):
    sys.exit("bench: flake8-async-testing is not among flake8's plugins; nothing to leave out")
finder._find_importlib_plugins = lambda: iter(kept)
from flake8.main.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""flake8 itself with every installed plugin but this one: the baseline "flake8 alone"."""


def project_groups(folders: list[str], files: list[str]) -> list[tuple[str, list[str]]]:
    """The files by project, as one runs flake8: from the project's root (the outermost folder,
    from the given folder down to the file's, that holds a packaging or pytest file; else the
    given folder), with paths relative to it. Each project is one flake8 process, which pays
    its own cold cost."""
    tops = [os.path.realpath(folder) for folder in folders]
    groups: dict[str, list[str]] = {}
    for path in files:
        inside = [top for top in tops if path.startswith(top + os.sep)]
        top = max(inside, key=len) if inside else os.path.dirname(path)
        relative = os.path.relpath(os.path.dirname(path), top)
        candidates = [top]
        for part in [] if relative == os.curdir else relative.split(os.sep):
            candidates.append(os.path.join(candidates[-1], part))
        root = next(
            (c for c in candidates if any(os.path.isfile(os.path.join(c, marker)) for marker in PROJECT_MARKERS)), top
        )
        groups.setdefault(root, []).append(os.path.relpath(path, root))
    return sorted(groups.items())


def _children_cpu() -> float:
    """user + system CPU seconds of the waited-for child processes so far (0 where unknown)."""
    try:
        import resource
    except ImportError:  # not POSIX: wall time only
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


E2E_CONTENDERS = (
    ("flake8 alone (plugin left out)", None),
    ("flake8 --select E999 (plugin loaded, builds nothing)", "E999"),
    ("flake8 --select ATS", "ATS"),
)


def end_to_end(groups: list[tuple[str, list[str]]], repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time of whole `flake8 --isolated -j1` runs, one fresh process per
    project from its root (cold caches), summed over the projects: flake8 without this plugin,
    with it loaded but nothing selected, and with ATS selected. Every run has the same files,
    interpreter and flake8, and runs the same other plugins (pycodestyle, pyflakes, ...):
    flake8 runs every loaded plugin, and --select only filters what is reported. The contenders
    take turns project by project (the order flips every round); one untimed round first
    (disk cache)."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in E2E_CONTENDERS}
    for round_number in range(repeat + 1):
        totals = {name: [0.0, 0.0] for name, _ in E2E_CONTENDERS}
        order = E2E_CONTENDERS if round_number % 2 == 0 else E2E_CONTENDERS[::-1]
        for root, files in groups:
            for name, select in order:
                head = [sys.executable, "-m", "flake8"] if select else [sys.executable, "-c", NO_PLUGIN]
                command = [*head, "--isolated", "-j1", "--select", select or "E999", *files]
                cpu_before, start = _children_cpu(), time.perf_counter()
                done = subprocess.run(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
                totals[name][0] += time.perf_counter() - start
                totals[name][1] += _children_cpu() - cpu_before
                if done.returncode not in (0, 1):  # 1 only means "found something"
                    tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
                    sys.exit(f"{name} failed in {root} (exit {done.returncode}): {' / '.join(tail)}")
        if round_number:  # the first round is a warm-up (disk cache)
            for name, (wall, cpu) in totals.items():
                samples[name].append((wall, cpu))
    return {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in samples.items()
    }


def one_file(path: str, repeat: int) -> dict[str, tuple[float, float]]:
    """The editor's case: median wall and CPU time of `flake8 --isolated -j1 FILE` on one file
    of a suite, from the project's root, without this plugin and with `--select ATS`: each a
    fresh process with cold caches (the plugin reads the suite's conftests and, for await
    habits, the other test files as text). One untimed round first (disk cache)."""
    path = os.path.abspath(path)
    root = os.path.dirname(path)
    while root != os.path.dirname(root) and not any(
        os.path.exists(os.path.join(root, marker)) for marker in PROJECT_MARKERS
    ):
        root = os.path.dirname(root)
    if root == os.path.dirname(root):
        root = os.path.dirname(path)
    relative = os.path.relpath(path, root)
    contenders = (E2E_CONTENDERS[0], E2E_CONTENDERS[2])
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in contenders}
    for round_number in range(repeat + 1):
        for name, select in contenders if round_number % 2 == 0 else contenders[::-1]:
            head = [sys.executable, "-m", "flake8"] if select else [sys.executable, "-c", NO_PLUGIN]
            command = [*head, "--isolated", "-j1", "--select", select or "E999", relative]
            cpu_before, start = _children_cpu(), time.perf_counter()
            subprocess.run(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if round_number:
                samples[name].append((time.perf_counter() - start, _children_cpu() - cpu_before))
    return {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in samples.items()
    }


def compile_plugin_bytecode() -> str:
    """Write the plugin's .pyc files where an editable install under PYTHONDONTWRITEBYTECODE
    has none, so that no run pays for compiling it: pip compiles an installed package's
    modules (flake8's, pyflakes' and pycodestyle's here), so the runs compare like with like.
    Returns what was done, for the report ("" when the bytecode was there already)."""
    import compileall
    import flake8_async_testing

    folder = os.path.dirname(os.path.abspath(flake8_async_testing.__file__))

    def bytecode_files() -> set[str]:
        return {os.path.join(d, n) for d, _, names in os.walk(folder) for n in names if n.endswith(".pyc")}

    had = bytecode_files()
    compileall.compile_dir(folder, quiet=2)
    made = bytecode_files() - had
    return f"compiled {len(made)} module(s) of {folder}" if made else ""


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:10.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folders", nargs="*", default=DEFAULT_FOLDERS, help="folders to collect test files from (default: %(default)s)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed passes per contender (default: %(default)s)")
    parser.add_argument(
        "--select", default=None, help="comma-separated code prefixes for the checker, e.g. ATS2,ATS301 (default: all)"
    )
    parser.add_argument("--end-to-end", action="store_true", help="also time whole flake8 subprocess runs (slow)")
    parser.add_argument(
        "--one-file",
        metavar="PATH",
        help="only the editor's case: flake8 on this one test file of a suite, without the plugin and with it",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.one_file:
        print(compile_plugin_bytecode())
        times = one_file(args.one_file, args.repeat)
        (alone_wall, alone_cpu), (ats_wall, ats_cpu) = times.values()
        print(f"one file:  {os.path.abspath(args.one_file)}, median of {args.repeat} fresh flake8 processes each")
        for name, (wall, cpu) in times.items():
            print(f"  {name:<32}  wall {wall * 1000:7.0f} ms   cpu {cpu * 1000:7.0f} ms")
        print(f"  the plugin adds {(ats_wall - alone_wall) * 1000:.0f} ms wall, {(ats_cpu - alone_cpu) * 1000:.0f} ms CPU")
        return 0

    command_line = shlex.join([os.path.basename(sys.executable), *sys.argv]) if argv is None else shlex.join(argv)
    enabled = select_codes(args.select)

    start = time.perf_counter()
    files = collect_files(args.folders)
    if not files:
        sys.exit(f"no test files under {', '.join(args.folders)}")
    parsed, failed = parse_files(files)
    parse_time = time.perf_counter() - start
    nodes = count_nodes(parsed)
    paths = [path for _, path in parsed]

    def fresh_trees() -> Parsed:
        return parse_files(paths)[0]

    contenders: list[tuple[str, Runner]] = [
        ("bare ast.NodeVisitor walk", run_bare),
        (f"flake8-async-testing check ({len(enabled)} codes)", make_checker(enabled)),
    ]
    pytest_style, pytest_style_note = make_pytest_style(parsed)
    if pytest_style is not None:
        contenders.append((pytest_style_note, pytest_style))

    # warm-up: one untimed pass each; the checker's is its cold cost (caches empty; the
    # pytest-style smoke run above has no bearing on the checker's caches)
    cold: dict[str, float] = {}
    found: dict[str, int] = {}
    trees = fresh_trees()
    for name, run in contenders:
        cold[name], found[name] = timed(run, trees)
    bare_name, checker_name = contenders[0][0], contenders[1][0]
    found[bare_name] = -1  # nothing to find

    samples: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for _ in range(args.repeat):
        trees = fresh_trees()  # new nodes each round, as flake8 parses each file anew
        for name, run in contenders:
            elapsed, _found = timed(run, trees)
            samples[name].append(elapsed)

    median = {name: statistics.median(times) for name, times in samples.items()}
    best = {name: min(times) for name, times in samples.items()}

    print(f"command:   {command_line}")
    print(f"python:    {sys.version.split()[0]}  ({sys.executable})")
    print(f"folders:   {', '.join(os.path.abspath(f) for f in args.folders)}")
    print(f"files:     {len(parsed)} parsed test files ({len(failed)} skipped: syntax errors), {nodes:,} AST nodes")
    print(f"parsing:   {parse_time * 1000:.0f} ms to read + ast.parse (again before each round, never timed)")
    print(f"codes:     {', '.join(sorted(enabled))}" if args.select else f"codes:     all {len(enabled)}")
    print(f"timing:    median of {args.repeat} warm passes over all files, fresh trees each (best also shown); gc enabled")
    print()
    width = max(len(name) for name in median)
    print(f"{'contender':<{width}}  {'median':>13}  {'best':>13}  {'us/file':>8}  {'vs bare':>7}  findings")
    for name, _ in contenders:
        print(
            f"{name:<{width}}  {fmt_ms(median[name])}  {fmt_ms(best[name])}  "
            f"{median[name] / len(parsed) * 1e6:8.1f}  {median[name] / median[bare_name]:6.2f}x  {found[name] if found[name] >= 0 else '-'}"
        )
    print()
    print(
        f"checker / bare walk:            {median[checker_name] / median[bare_name]:.2f}x (median), {best[checker_name] / best[bare_name]:.2f}x (best)"
    )
    if pytest_style is not None:
        ps = contenders[2][0]
        print(
            f"checker / flake8-pytest-style:  {median[checker_name] / median[ps]:.2f}x (median), {best[checker_name] / best[ps]:.2f}x (best)"
        )
    else:
        print(f"flake8-pytest-style skipped: {pytest_style_note}")
    print(
        f"checker cold first pass:        {cold[checker_name] * 1000:.1f} ms = {cold[checker_name] / median[bare_name]:.2f}x the bare walk "
        f"(+{(cold[checker_name] - median[checker_name]) * 1000:.1f} ms over warm: pytest config, conftest and project-module caches filled;"
        " one flake8 process pays this)"
    )

    if failed:
        print()
        print(f"skipped {len(failed)} file(s) that do not parse:")
        for path, reason in failed[:10]:
            print(f"  {path}: {reason}")
        if len(failed) > 10:
            print(f"  ... and {len(failed) - 10} more")

    if args.end_to_end:
        groups = project_groups(args.folders, paths)
        print()
        print(
            f"end to end: whole `flake8 --isolated -j1` runs over the same {len(parsed)} files, one fresh process per project "
            f"from its root ({len(groups)} projects), summed; median of {args.repeat} rounds after 1 warm-up, run in turns"
        )
        compiled = compile_plugin_bytecode()
        if compiled:
            print(f"  bytecode: {compiled} (as pip does on install: flake8 and its plugins have theirs)")
        e2e = end_to_end(groups, args.repeat)
        base_wall, base_cpu = e2e[E2E_CONTENDERS[0][0]]
        e2e_width = max(len(name) for name in e2e)
        print(f"  {'':<{e2e_width}}  {'wall':>13}  {'vs alone':>8}  {'CPU (user+sys)':>14}  {'vs alone':>8}")
        for name, (wall, cpu) in e2e.items():
            print(f"  {name:<{e2e_width}}  {fmt_ms(wall)}  {wall / base_wall:7.3f}x  {fmt_ms(cpu):>14}  {cpu / base_cpu if base_cpu else 0:7.3f}x")
        ats_wall, ats_cpu = e2e[E2E_CONTENDERS[2][0]]
        unselected_wall, _ = e2e[E2E_CONTENDERS[1][0]]
        print(
            f"  ATS cost: +{(ats_wall - base_wall) * 1000:.1f} ms wall ({ats_wall / base_wall:.3f}x flake8 alone), "
            f"+{(ats_cpu - base_cpu) * 1000:.1f} ms CPU; of it, loading the plugin (E999 run): +{(unselected_wall - base_wall) * 1000:.1f} ms wall"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
