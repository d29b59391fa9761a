"""For every async def test in the given files: who the checker thinks runs it.

A development aid for reading corpus results: a rule that is silent should be silent for the
right reason. Usage: python tools/why_silent.py FILE... (run from the project's root)
"""

from __future__ import annotations

import ast
import collections
import sys

from flake8_async_testing.collection import CollectedAs
from flake8_async_testing.context import FileContext
from flake8_async_testing.settings import Settings


def reasons(filename: str) -> list[tuple[int, str, str]]:
    with open(filename, "rb") as handle:
        tree = ast.parse(handle.read())
    context = FileContext(tree, filename, Settings())
    found = []
    for node, definition in context.module.functions.items():
        if not isinstance(node, ast.AsyncFunctionDef) or definition.is_fixture:
            continue
        owners = [facts for facts in context.module.classes.values() if node in facts.methods]
        if owners:
            kind = context.collection.test_class_kind(owners[0])
            if kind is not CollectedAs.PYTEST:
                found.append((node.lineno, node.name, f"class: {kind.value}"))
                continue
        if not context.is_test_module or not context.collection.is_test_name(node.name):
            continue
        why = context.async_test_runner(definition, owners)
        found.append((node.lineno, node.name, why or "NOTHING"))
    return found


VERBOSE = False


def main() -> None:
    counts: collections.Counter[str] = collections.Counter()
    for filename in sys.argv[1:]:
        for line, name, why in reasons(filename):
            counts[why] += 1
            if VERBOSE:
                print(f"{filename}:{line} {name}: {why}")
    for why, count in counts.most_common():
        print(f"{count:6d}  {why}")


if __name__ == "__main__":
    main()
