"""Run every rule over every Python file under the given folders, in one process, and list
the files where the checker raised. Files that do not parse are skipped (flake8 reports
those as E999 itself). Usage: python tools/crash_check.py FOLDER... ; exit 1 on any crash.
"""

from __future__ import annotations

import ast
import os
import sys
import traceback
import warnings

from flake8_async_testing.plugin import check


def python_files(folders: list[str]):
    for folder in folders:
        for directory, _, files in os.walk(folder):
            for name in files:
                if name.endswith(".py"):
                    yield os.path.join(directory, name)


def main() -> int:
    checked = skipped = 0
    crashes = []
    for path in python_files(sys.argv[1:]):
        try:
            with open(path, "rb") as handle, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(handle.read(), filename=path)
        except (SyntaxError, ValueError, OSError, RecursionError, MemoryError):
            skipped += 1
            continue
        try:
            check(tree, path)
        except Exception:  # the point of this tool is to find any crash
            crashes.append((path, traceback.format_exc()))
        checked += 1
    for path, trace in crashes:
        print(f"CRASH {path}\n{trace}")
    print(f"checked={checked} skipped_unparsable={skipped} crashes={len(crashes)}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
