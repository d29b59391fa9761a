"""The pytest configuration that pytest itself would use for a file.

pytest 9 looks in each folder, from the tests upwards, for the first of these files that holds
a pytest section; the first folder with one decides, and that folder is also where conftest.py
files stop being loaded (confcutdir). The project index (project.py) asks once per folder.
"""

from __future__ import annotations

import configparser
import fnmatch
import dataclasses
import os
import shlex
import sys
from pathlib import Path
from typing import Any, Callable


if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None  # type: ignore[assignment]  # no tomli installed: TOML configuration is not read

CONFIG_FILE_NAMES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)
LOOP_SCOPES = ("function", "class", "module", "package", "session")
"""Narrowest first: a fixture may only request fixtures of its own scope or wider."""
MATCH_FIXTURE_SCOPE = "fixture-scope"
"""pytest-asyncio's explicit spelling of 'unset' for asyncio_default_fixture_loop_scope."""
FIXTURE_LOOP_SCOPES = (*LOOP_SCOPES, MATCH_FIXTURE_SCOPE)
ASYNCIO_MODES = ("strict", "auto")
ANYIO_MODES = ("strict", "auto")
_TRUE = {"y", "yes", "t", "true", "on", "1"}
_FALSE = {"n", "no", "f", "false", "off", "0"}


@dataclasses.dataclass(frozen=True)
class PytestConfig:
    """The settings the ATS rules depend on, with pytest's and the plugins' defaults."""

    path: Path | None = None
    root: Path | None = None
    asyncio_mode: str = "strict"
    asyncio_default_fixture_loop_scope: str | None = None
    asyncio_default_test_loop_scope: str = "function"
    anyio_mode: str = "strict"
    trio_mode: bool = False
    python_files: tuple[str, ...] = ("test_*.py", "*_test.py")
    python_functions: tuple[str, ...] = ("test",)
    python_classes: tuple[str, ...] = ("Test",)
    plugins: tuple[str, ...] = ()
    """Values of `-p` in addopts, `no:asyncio` included."""
    problems: tuple[str, ...] = dataclasses.field(default=(), compare=False)
    """What was wrong in the file (each value replaced by its default): the project index
    warns of each once per process."""

    @property
    def asyncio_disabled(self) -> bool:
        return "no:asyncio" in self.plugins or "no:pytest_asyncio" in self.plugins


DEFAULT_CONFIG = PytestConfig()


def config_for_folder(folder: str, config_of_parent: Callable[[str], PytestConfig]) -> PytestConfig:
    """The configuration that decides for files in `folder`: its own config file, else the
    parent folder's (asked through `config_of_parent`, which caches), else pytest's defaults."""
    skipped: list[str] = []
    found = _config_in_folder(Path(folder), skipped)
    if found is None:
        parent = os.path.dirname(folder)
        inherited = config_of_parent(parent) if parent != folder else None
        if inherited is not None and inherited.path is not None:
            found = inherited
        else:
            found = _interpret({}, None, _root_without_config(Path(folder)))
    if skipped:
        found = dataclasses.replace(found, problems=(*skipped, *found.problems))
    return found


def _root_without_config(folder: Path) -> Path:
    """pytest's rootdir when no file configures it: the nearest folder with a pyproject.toml
    or setup.py, else the folder it runs from (if that holds the file), else the file's own."""
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file() or (candidate / "setup.py").is_file():
            return candidate
    cwd = Path.cwd()
    return cwd if cwd == folder or cwd in folder.parents else folder


class _NoTomlReader(Exception):
    """A TOML file, and no tomllib (Python < 3.11) or tomli to read it."""


def _config_in_folder(folder: Path, skipped: list[str]) -> PytestConfig | None:
    """The folder's own configuration, None when no file there configures pytest; a file
    that cannot be read at all is noted in `skipped`."""
    for name in CONFIG_FILE_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            values = _read_pytest_section(path)
        except (OSError, UnicodeDecodeError, ValueError, configparser.Error) as exc:
            problem = f"cannot read pytest configuration {path}: {exc}; using pytest's defaults"
            return PytestConfig(path=path, root=folder, problems=(problem,))
        except _NoTomlReader:
            skipped.append(f"cannot read {path} on Python < 3.11 without the 'tomli' package")
            continue
        if values is not None:
            return _interpret(values, path, folder)
    return None


def _read_pytest_section(path: Path) -> dict[str, Any] | None:
    """The file's pytest section, or None when this file does not configure pytest."""
    name = path.name
    if path.suffix == ".toml":
        if tomllib is None:
            raise _NoTomlReader
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        if name in ("pytest.toml", ".pytest.toml"):
            section = data.get("pytest", {})
            return section if isinstance(section, dict) else {}
        tool = data.get("tool", {})
        section = tool.get("pytest") if isinstance(tool, dict) else None
        if not isinstance(section, dict):
            return None
        native = {k: v for k, v in section.items() if k != "ini_options"}
        if native:
            return native
        ini_options = section.get("ini_options")
        return ini_options if isinstance(ini_options, dict) else None
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    with path.open(encoding="utf-8") as handle:
        parser.read_file(handle)
    section_name = "tool:pytest" if path.suffix == ".cfg" else "pytest"
    if parser.has_section(section_name):
        return dict(parser.items(section_name))
    if name in ("pytest.ini", ".pytest.ini"):
        return {}
    return None


def _interpret(values: dict[str, Any], path: Path | None, folder: Path) -> PytestConfig:
    """Turn raw values into a PytestConfig; a bad value is one warning and the default."""
    source = str(path) if path is not None else "PYTEST_ADDOPTS"
    problems: list[str] = []
    values = dict(values)
    addopts = _as_list(values.get("addopts", ""), split=shlex_split) or []
    addopts += shlex_split(os.environ.get("PYTEST_ADDOPTS", ""))
    plugins, overrides = _parse_addopts(addopts)
    values.update(overrides)

    def choice(key: str, allowed: tuple[str, ...], default: Any) -> Any:
        raw = values.get(key)
        if raw is None:
            return default
        value = str(raw).strip() if isinstance(raw, str) else raw
        if value not in allowed:
            problems.append(f"{source}: {key} = {raw!r} is not one of {', '.join(allowed)}; using {default!r}")
            return default
        return value

    def patterns(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        raw = values.get(key)
        if raw is None:
            return default
        items = _as_list(raw, split=str.split)
        if items is None or not all(isinstance(item, str) for item in items):
            problems.append(f"{source}: {key} = {raw!r} is not a list of patterns; using the default")
            return default
        return tuple(items) or default

    trio_raw = values.get("trio_mode", False)
    trio_mode = _as_bool(trio_raw)
    if trio_mode is None:
        problems.append(f"{source}: trio_mode = {trio_raw!r} is not a boolean; using false")
        trio_mode = False
    return PytestConfig(
        path=path,
        root=folder,
        asyncio_mode=choice("asyncio_mode", ASYNCIO_MODES, "strict"),
        asyncio_default_fixture_loop_scope=choice("asyncio_default_fixture_loop_scope", FIXTURE_LOOP_SCOPES, None),
        asyncio_default_test_loop_scope=choice("asyncio_default_test_loop_scope", LOOP_SCOPES, "function"),
        anyio_mode=choice("anyio_mode", ANYIO_MODES, "strict"),
        trio_mode=trio_mode,
        python_files=patterns("python_files", DEFAULT_CONFIG.python_files),
        python_functions=patterns("python_functions", DEFAULT_CONFIG.python_functions),
        python_classes=patterns("python_classes", DEFAULT_CONFIG.python_classes),
        plugins=tuple(plugins),
        problems=tuple(problems),
    )


def shlex_split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _as_list(raw: Any, split: Any) -> Any:
    if isinstance(raw, str):
        return split(raw)
    if isinstance(raw, list):
        return [str(item) if isinstance(item, (int, float)) else item for item in raw]
    return None if raw is not None else []


def _as_bool(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _parse_addopts(args: list[Any] | None) -> tuple[list[str], dict[str, str]]:
    """`-p NAME` values, and ini overrides from `--asyncio-mode` and `-o key=value`."""
    plugins: list[str] = []
    overrides: dict[str, str] = {}
    args = [arg for arg in (args or []) if isinstance(arg, str)]
    for i, arg in enumerate(args):
        following = args[i + 1] if i + 1 < len(args) else ""
        if arg == "-p":
            plugins.append(following)
        elif arg.startswith("-p"):
            plugins.append(arg[2:])
        elif arg == "--asyncio-mode":
            overrides["asyncio_mode"] = following
        elif arg.startswith("--asyncio-mode="):
            overrides["asyncio_mode"] = arg.partition("=")[2]
        elif arg in ("-o", "--override-ini"):
            _add_override(overrides, following)
        elif arg.startswith("--override-ini="):
            _add_override(overrides, arg[len("--override-ini=") :])
        elif arg.startswith("-o"):
            _add_override(overrides, arg[2:])
    return plugins, overrides


def _add_override(overrides: dict[str, str], assignment: str) -> None:
    key, sep, value = assignment.partition("=")
    if sep:
        overrides[key.strip()] = value.strip()


def matches_prefix_or_glob(name: str, patterns: tuple[str, ...]) -> bool:
    """pytest's rule for python_functions and python_classes."""
    for pattern in patterns:
        if name.startswith(pattern):
            return True
        if any(char in pattern for char in "*?[") and fnmatch.fnmatch(name, pattern):
            return True
    return False


def matches_python_files(path: Path, patterns: tuple[str, ...]) -> bool:
    """pytest's `fnmatch_ex`: a pattern without a separator matches the file name."""
    for pattern in patterns:
        if os.sep not in pattern and "/" not in pattern:
            if fnmatch.fnmatch(path.name, pattern):
                return True
        elif fnmatch.fnmatch(str(path), f"*{os.sep}{pattern}"):
            return True
    return False
