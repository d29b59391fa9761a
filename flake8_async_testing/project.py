"""The project index: everything the plugin reads from disk, read once per process.

pytest configurations (per folder), the facts of conftests, `pytest_plugins` modules and
project modules (parsed, never imported), the one lookup from a dotted module name to its file,
the folders a project import may start from, the project's definitions and module-level
assignments behind a dotted name, facts computed once per function definition, and the
warnings about bad configuration already given. One object owns all of it and its caches:
`PROJECT`; tests call `PROJECT.reset()`. No other module keeps state between files.

A module read here stays for the whole process, and its syntax tree is a great many objects:
each is moved out of the garbage collector's sight as it is read (`gc.freeze()`), or every
full collection of a flake8 run walks all of them again (that was about 40% of the plugin's
cost end to end). The plugin leaves no reference cycles behind, so nothing it frees needs the
collector; objects of others that are garbage in a cycle at that moment stay in memory.
"""

from __future__ import annotations

import ast
import gc
import os
import re
import sys
import weakref
from pathlib import Path
from typing import Callable, Hashable, TypeVar

from . import pytest_config
from .module_facts import ClassFacts, Decorated, ModuleFacts, class_method, module_facts

T = TypeVar("T")
_SKIPPED_FOLDERS = ("node_modules", "site-packages", "__pycache__")
MAX_DEPTH = 3
"""How many re-exports and base classes a dotted name is followed through."""


class ProjectIndex:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._configs: dict[str, pytest_config.PytestConfig] = {}
        self._facts: dict[str, ModuleFacts | None] = {}
        self._conftest_chains: dict[tuple[str, str], tuple[list[ModuleFacts], bool]] = {}
        self._modules: dict[tuple[str, tuple[str, ...]], ModuleFacts | None] = {}
        self._top_levels: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._search_roots: dict[tuple[str, str], tuple[str, ...]] = {}
        self._mentions: dict[tuple[str, bytes], bool] = {}
        self._per_definition: dict[Hashable, weakref.WeakKeyDictionary[ast.AST, object]] = {}
        self._per_key: dict[tuple[str, object], object] = {}
        self._warned: set[str] = set()
        self.evaluating: set[ast.AST] = set()
        """Defs whose value (a fixture's, a helper's result) is being worked out now: one that
        needs its own value, through others, is unknown."""

    # -- pytest configuration ---------------------------------------------------------------

    def config_for_file(self, filename: str) -> pytest_config.PytestConfig:
        return self._config_for_folder(os.path.dirname(os.path.abspath(filename)))

    def _config_for_folder(self, folder: str) -> pytest_config.PytestConfig:
        found = self._configs.get(folder)
        if found is None:
            found = self._configs[folder] = pytest_config.config_for_folder(folder, self._config_for_folder)
            for problem in found.problems:
                self.warn_once(problem)
        return found

    def warn_once(self, message: str) -> None:
        """One warning on stderr per problem per process: bad configuration must be seen,
        never repeated for every file flake8 checks, and never a crash."""
        if message not in self._warned:
            self._warned.add(message)
            print(f"flake8-async-testing: warning: {message}", file=sys.stderr)

    # -- modules ----------------------------------------------------------------------------

    def facts_of_file(self, path: str) -> ModuleFacts | None:
        """A conftest, plugin or project module's facts; None if it cannot be read or parsed."""
        if path in self._facts:
            return self._facts[path]
        try:
            with open(path, "rb") as handle:
                tree = ast.parse(handle.read(), filename=path)
        except (OSError, SyntaxError, ValueError):
            facts = None
        else:
            facts = module_facts(tree, path)
            gc.freeze()
        self._facts[path] = facts
        return facts

    def conftest_chain(self, folder: str, root: str) -> tuple[list[ModuleFacts], bool]:
        """conftest.py facts from `folder` up to `root` (nearest first), and False when one of
        them could not be read."""
        key = (folder, root)
        found = self._conftest_chains.get(key)
        if found is None:
            found = self._conftest_chains[key] = self._read_conftest_chain(Path(folder), Path(root))
        return found

    def _read_conftest_chain(self, current: Path, root: Path) -> tuple[list[ModuleFacts], bool]:
        chain: list[ModuleFacts] = []
        understood = True
        while True:
            candidate = current / "conftest.py"
            if candidate.is_file():
                facts = self.facts_of_file(str(candidate))
                if facts is None:
                    understood = False
                else:
                    chain.append(facts)
            if current == root or root not in current.parents:
                break
            current = current.parent
        return chain, understood

    def module(self, dotted: str, bases: tuple[str, ...]) -> ModuleFacts | None:
        """The facts of a module by dotted name, found as `name.py` or `name/__init__.py`
        under one of the bases; None when it is not the project's."""
        key = (dotted, bases)
        if key in self._modules:
            return self._modules[key]
        found = None
        parts = dotted.split(".")
        if all(part.isidentifier() for part in parts) and self._top_level_exists(parts[0], bases):
            for base in bases:
                target = Path(base, *parts)
                candidate = next((c for c in (target.with_suffix(".py"), target / "__init__.py") if c.is_file()), None)
                if candidate is not None:
                    found = self.facts_of_file(str(candidate))
                    break
        self._modules[key] = found
        return found

    def _top_level_exists(self, name: str, bases: tuple[str, ...]) -> bool:
        """Is there a module or package of that name in the project at all? (Most dotted names
        in a test file are the standard library's or third-party: answered without more look-ups.)"""
        key = (name, bases)
        found = self._top_levels.get(key)
        if found is None:
            found = self._top_levels[key] = any(
                os.path.exists(os.path.join(base, name + ".py")) or os.path.isdir(os.path.join(base, name))
                for base in bases
            )
        return found

    def search_roots(self, file_folder: str, pytest_root: str) -> tuple[str, ...]:
        """Folders a project import may start from: the pytest root, the packaging root, the
        folder pytest puts on sys.path for this file (above its package), each with its src/."""
        key = (file_folder, pytest_root)
        found = self._search_roots.get(key)
        if found is None:
            found = self._search_roots[key] = _search_roots(Path(file_folder), pytest_root)
        return found

    def bases_for(self, qualified: str, from_file: str, roots: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
        """Where to look for a dotted name: a relative import (`..helpers.f`) from the
        importing file's package, anything else from the project's roots."""
        if not qualified.startswith("."):
            return roots, qualified
        level = len(qualified) - len(qualified.lstrip("."))
        folder = Path(os.path.abspath(from_file)).parent
        for _ in range(level - 1):
            folder = folder.parent
        return (str(folder),), qualified[level:]

    def tests_below_mention_anyio_or_trio(self, folder: str) -> bool:
        """A conftest's fixtures serve every test below it: if any of those files so much as
        names anyio or trio, that framework may run the conftest's plain async fixtures."""
        return self.files_below_match(folder, rb"anyio|trio")

    def files_below_match(self, folder: str, pattern: bytes) -> bool:
        """Does any `.py` file in the folder or below it contain the regular expression? (What
        the tests a conftest serves do with its fixtures, read as text.)"""
        key = (folder, pattern)
        found = self._mentions.get(key)
        if found is None:
            found = self._mentions[key] = _files_below_match(folder, re.compile(pattern))
        return found

    # -- definitions behind dotted names ----------------------------------------------------

    def definition(self, qualified: str, from_file: str, roots: tuple[str, ...], depth: int = 0) -> Decorated | None:
        """The def a dotted name stands for in the project's own modules, following
        re-exports (`from .services import create_user` in a package's __init__)."""
        if depth > MAX_DEPTH:
            return None
        bases, dotted = self.bases_for(qualified, from_file, roots)
        if depth:
            return self._definition(bases, dotted, roots, depth)
        # asked again by every file that imports it: answered once
        return self.per_key("definition", (bases, dotted, roots), lambda: self._definition(bases, dotted, roots, 0))

    def _definition(self, bases: tuple[str, ...], dotted: str, roots: tuple[str, ...], depth: int) -> Decorated | None:
        parts = dotted.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module = self.module(".".join(parts[:split]), bases)
            if module is None:
                continue
            attribute = parts[split:]
            if len(attribute) == 1:
                found = module.top_level_functions.get(attribute[0])
                if found is not None:
                    return found
                alias = module.imports.aliases.get(attribute[0])
                if alias is not None:
                    return self.definition(alias, module.path, roots, depth + 1)
            elif len(attribute) == 2 and attribute[0] in module.class_by_name:
                return self.method(module, module.class_by_name[attribute[0]], attribute[1], roots, depth)
            elif len(attribute) == 2 and attribute[0] in module.imports.aliases:  # a re-exported class
                alias = module.imports.aliases[attribute[0]]
                return self.definition(f"{alias}.{attribute[1]}", module.path, roots, depth + 1)
            return None
        return None

    def method(
        self, module: ModuleFacts, cls: ClassFacts, name: str, roots: tuple[str, ...], depth: int = 0
    ) -> Decorated | None:
        """A method by name, through base classes of the same module and of project modules."""
        found = class_method(module, cls, name)
        if found is not None or depth > MAX_DEPTH:
            return found
        for base in cls.base_names:
            if base and base not in module.class_by_name and base != "object":
                found = self.definition(f"{base}.{name}", module.path, roots, depth + 1)
                if found is not None:
                    return found
        return None

    def assignment(
        self, qualified: str, from_file: str, roots: tuple[str, ...], depth: int = 0
    ) -> tuple[ModuleFacts, ast.Call] | None:
        """The call a project module assigns to a top-level name (`SessionLocal = sessionmaker(...)`),
        with that module, following re-exports."""
        if depth > MAX_DEPTH:
            return None
        bases, dotted = self.bases_for(qualified, from_file, roots)
        if depth:
            return self._assignment(bases, dotted, roots, depth)
        # asked again by every file that imports it: answered once
        return self.per_key("assignment", (bases, dotted, roots), lambda: self._assignment(bases, dotted, roots, 0))

    def _assignment(
        self, bases: tuple[str, ...], dotted: str, roots: tuple[str, ...], depth: int
    ) -> tuple[ModuleFacts, ast.Call] | None:
        module_name, _, attribute = dotted.rpartition(".")
        module = self.module(module_name, bases) if module_name else None
        if module is None:
            return None
        call = module.assigned_calls.get(attribute)
        if call is not None:
            return module, call
        alias = module.imports.aliases.get(attribute)
        return self.assignment(alias, module.path, roots, depth + 1) if alias else None

    # -- facts computed once per definition ---------------------------------------------------

    def per_definition(self, purpose: Hashable, node: ast.AST, compute: Callable[[], T]) -> T:
        """`compute()` once per process for a def (or any node) and purpose; the answer goes
        with the tree. An answer that depends on more than the node (the settings) takes that
        into the purpose: `("fixture value", settings)`."""
        cache = self._per_definition.get(purpose)
        if cache is None:
            cache = self._per_definition[purpose] = weakref.WeakKeyDictionary()
        if node in cache:
            return cache[node]  # type: ignore[return-value]
        found = cache[node] = compute()
        return found

    def per_key(self, purpose: str, key: object, compute: Callable[[], T]) -> T:
        """`compute()` once per process for a hashable key and purpose."""
        full = (purpose, key)
        if full in self._per_key:
            return self._per_key[full]  # type: ignore[return-value]
        found = self._per_key[full] = compute()
        return found


PROJECT = ProjectIndex()


def _search_roots(folder_path: Path, pytest_root: str) -> tuple[str, ...]:
    candidates: list[Path | None] = [Path(pytest_root) if pytest_root else None]
    for folder in (folder_path, *folder_path.parents):
        if any((folder / marker).is_file() for marker in ("pyproject.toml", "setup.cfg", "setup.py")):
            candidates.append(folder)
            break
    basedir = folder_path
    while (basedir / "__init__.py").is_file() and basedir.parent != basedir:
        basedir = basedir.parent
    candidates.append(basedir)
    roots: list[str] = []
    for candidate in candidates:
        if candidate is None:
            continue
        for root in (candidate, candidate / "src"):
            if str(root) not in roots and root.is_dir():
                roots.append(str(root))
    return tuple(roots)


def _files_below_match(folder: str, pattern: re.Pattern[bytes]) -> bool:
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".") and d not in _SKIPPED_FOLDERS]
        for name in files:
            if not name.endswith(".py"):
                continue
            try:
                with open(os.path.join(directory, name), "rb") as handle:
                    text = handle.read()
            except OSError:
                continue
            if pattern.search(text):
                return True
    return False
