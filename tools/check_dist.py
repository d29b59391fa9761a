"""Check a built sdist and wheel against the repository: `python3 tools/check_dist.py DIST_DIR`.

The sdist must hold every tracked file of the package, the tests and what they read (docs,
examples, README, changelog, CI's script); the wheel every module of the package and the flake8
entry point, and no tests. Run by .ci/run after `python3 -m build --outdir DIST_DIR`.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IN_SDIST = ("flake8_async_testing/", "tests/", "docs/", "examples/")
SDIST_FILES = {"README.md", "CHANGELOG.md", "pyproject.toml", "setup.cfg", ".ci/run"}
ENTRY_POINT = "ATS = flake8_async_testing.plugin:Plugin"


def tracked() -> set[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(listed.stdout.splitlines())


def main(dist: Path) -> int:
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    files = tracked()
    problems = []

    with tarfile.open(sdist) as archive:
        in_sdist = {name.partition("/")[2] for name in archive.getnames()}
    wanted = {name for name in files if name.startswith(IN_SDIST)} | SDIST_FILES
    problems += [f"{sdist.name} lacks {name}" for name in sorted(wanted - in_sdist)]

    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
        entry_points = next(
            (archive.read(name).decode() for name in in_wheel if name.endswith(".dist-info/entry_points.txt")), ""
        )
    modules = {name for name in files if name.startswith("flake8_async_testing/") and name.endswith(".py")}
    problems += [f"{wheel.name} lacks {name}" for name in sorted(modules - in_wheel)]
    problems += [f"{wheel.name} holds {name}" for name in sorted(in_wheel) if name.startswith("tests/")]
    if ENTRY_POINT not in entry_points:
        problems.append(f"{wheel.name} lacks the flake8 entry point {ENTRY_POINT!r}")

    for problem in problems:
        print(problem)
    if not problems:
        print(f"{sdist.name}: {len(in_sdist)} entries; {wheel.name}: {len(modules)} modules and the entry point")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
