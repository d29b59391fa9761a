#!/usr/bin/env python3
"""Compare whole flake8 runs with an earlier commit's plugin: end to end, in turns.

    python3 tools/speed_ab_e2e.py [--base REV] [--rounds N] [CORPUS_SRC]   (default: HEAD~1, 2, /tmp/ats-corpus/src)

Run by hand, not in CI. For each project of the corpus, from its own root, `flake8 --isolated
--select ATS -j1` over its test files runs once with the base commit's package and once with
the work tree's, first on PYTHONPATH (the entry point imports the package by name), the order
flipping each round; the CPU time of the child processes is summed per contender. Cold caches
are included: each run is a fresh process, as in CI. benchmarks/bench.py --end-to-end compares
with flake8 alone; this compares two versions of the plugin, which the machine's drift from one
minute to the next spoils much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile

from speed_ab import unpack_base  # tools/ is the script's folder

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_files(project: str) -> list[str]:
    """The files tools/corpus_run.sh checks: test modules, conftests, files under tests folders."""
    found = []
    for folder, subfolders, names in os.walk(project):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        in_tests = any(part in ("tests", "test") for part in os.path.relpath(folder, project).split(os.sep))
        for name in names:
            if name.endswith(".py") and (
                in_tests or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
            ):
                found.append(os.path.relpath(os.path.join(folder, name), project))
    return sorted(found)


def cpu_of_run(project: str, files: list[str], package_root: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    environment = {**os.environ, "PYTHONPATH": package_root}
    command = [sys.executable, "-m", "flake8", "--isolated", "--select", "ATS", "-j1", *files]
    subprocess.run(command, cwd=project, env=environment, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default="/tmp/ats-corpus/src")
    parser.add_argument("--base", default="HEAD~1", help="the commit to compare with (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    projects = sorted(os.path.join(args.corpus, name) for name in os.listdir(args.corpus))
    projects = [project for project in projects if os.path.isdir(project)]
    files = {project: test_files(project) for project in projects}
    with tempfile.TemporaryDirectory() as folder:
        unpack_base(args.base, folder, name="flake8_async_testing")  # imported by that name
        roots = {f"base ({args.base})": folder, "work tree": ROOT}
        totals = dict.fromkeys(roots, 0.0)
        for round_number in range(args.rounds):
            order = list(roots) if round_number % 2 == 0 else list(reversed(roots))
            for project in projects:
                if files[project]:
                    for name in order:
                        totals[name] += cpu_of_run(project, files[project], roots[name])
    print(f"{len(projects)} projects, {sum(map(len, files.values()))} files, {args.rounds} rounds in turns")
    for name, seconds in totals.items():
        print(f"  {name:<24} {seconds / args.rounds:8.2f} s CPU per round")
    base, work = totals.values()
    print(f"  work tree / base: {work / base:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
