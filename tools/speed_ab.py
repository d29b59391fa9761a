#!/usr/bin/env python3
"""Compare the checker's speed with an earlier commit's, in one process, file by file.

    python3 tools/speed_ab.py [--base REV] [--rounds N] [FOLDER ...]   (default: HEAD, 3, the shared corpus)

Run by hand, not in CI. On a shared virtual machine the load drifts by tens of percent within a
minute, so two benchmark runs made one after the other compare badly. Here the base commit's
package is unpacked under another name (the package imports itself only relatively), both
checkers and a bare walk run over every file in turn (the order rotates from file to file),
each on a tree of its own, and the sums are compared. The ratio to the bare walk is not the
one benchmarks/bench.py reports (interleaved, each contender finds the caches the others left
cold); the ratio of the two checkers is what this tool is for.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(1, os.path.join(ROOT, "benchmarks"))

import bench  # noqa: E402

BASE_PACKAGE = "flake8_async_testing_base"


def unpack_base(revision: str, into: str, name: str = BASE_PACKAGE) -> None:
    """The package as it was at `revision`, as `name` under `into`."""
    archive = os.path.join(into, "base.tar")
    with open(archive, "wb") as handle:
        subprocess.run(["git", "archive", revision, "flake8_async_testing"], cwd=ROOT, stdout=handle, check=True)
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:  # an older patch release: the archive is our own
            tar.extractall(into)
    if name != "flake8_async_testing":
        os.rename(os.path.join(into, "flake8_async_testing"), os.path.join(into, name))


def checker(package: str) -> Callable[[ast.Module, str], object]:
    plugin = importlib.import_module(f"{package}.plugin")
    settings = importlib.import_module(f"{package}.settings")

    def run(tree: ast.Module, filename: str) -> object:
        return plugin.check(tree, filename, settings.Settings(), plugin.ALL_CODE_NAMES)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", default=bench.DEFAULT_FOLDERS)
    parser.add_argument("--base", default="HEAD", help="the commit to compare with (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        unpack_base(args.base, folder)
        sys.path.insert(0, folder)
        contenders = {
            "bare walk": lambda tree, filename: bench.Bare().visit(tree),
            f"base ({args.base})": checker(BASE_PACKAGE),
            "work tree": checker("flake8_async_testing"),
        }
        paths = [path for _, path in bench.parse_files(bench.collect_files(args.folders))[0]]
        runs = list(contenders.items())
        for _, run in runs[1:]:  # the cold pass: every per-process cache filled, untimed
            for tree, path in bench.parse_files(paths)[0]:
                run(tree, path)
        totals = dict.fromkeys(contenders, 0.0)
        for _ in range(args.rounds):
            tree_sets = [bench.parse_files(paths)[0] for _ in runs]  # a tree of its own for each
            for index, path in enumerate(paths):
                turn = index % len(runs)
                for trees, (name, run) in zip(tree_sets, runs[turn:] + runs[:turn]):
                    start = time.perf_counter()
                    run(trees[index][0], path)
                    totals[name] += time.perf_counter() - start
            del tree_sets
    bare = totals["bare walk"]
    base, work = list(totals.values())[1:]
    print(f"{len(paths)} files, {args.rounds} rounds, interleaved file by file")
    for name, seconds in totals.items():
        print(f"  {name:<24} {seconds:8.2f} s  {seconds / bare:5.3f}x the bare walk")
    print(f"  work tree / base: {work / base:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
