"""The plugin's flake8 options: each overrides one pytest setting, for editors and monorepos
where the pytest configuration is not where flake8 looks (or should not be trusted).

Unset options leave the value found in the pytest configuration. A value that makes no
sense is one warning and is then ignored: flake8 keeps running with the file's settings.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .project import PROJECT
from .pytest_config import ANYIO_MODES, ASYNCIO_MODES, FIXTURE_LOOP_SCOPES, LOOP_SCOPES, PytestConfig

_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False, "off": False}


@dataclasses.dataclass(frozen=True)
class Option:
    flag: str
    config_field: str | None
    """The PytestConfig field it overrides; None for the plugin's own settings."""
    help: str
    choices: tuple[str, ...] = ()
    is_list: bool = False
    is_bool: bool = False

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


OPTIONS = (
    Option(
        "--asyncio-mode",
        "asyncio_mode",
        "pytest-asyncio mode (strict or auto); default: from the pytest configuration.",
        ASYNCIO_MODES,
    ),
    Option(
        "--asyncio-default-fixture-loop-scope",
        "asyncio_default_fixture_loop_scope",
        "pytest-asyncio's default loop scope of async fixtures; default: from the pytest configuration.",
        FIXTURE_LOOP_SCOPES,
    ),
    Option(
        "--asyncio-default-test-loop-scope",
        "asyncio_default_test_loop_scope",
        "pytest-asyncio's default loop scope of async tests; default: from the pytest configuration.",
        LOOP_SCOPES,
    ),
    Option(
        "--anyio-mode",
        "anyio_mode",
        "anyio's pytest plugin mode (strict or auto); default: from the pytest configuration.",
        ANYIO_MODES,
    ),
    Option(
        "--trio-mode",
        "trio_mode",
        "pytest-trio's trio_mode (true or false); default: from the pytest configuration.",
        is_bool=True,
    ),
    Option("--pytest-python-files", "python_files", "Test file patterns, as pytest's python_files.", is_list=True),
    Option(
        "--pytest-python-functions",
        "python_functions",
        "Test function prefixes or globs, as pytest's python_functions.",
        is_list=True,
    ),
    Option(
        "--pytest-python-classes",
        "python_classes",
        "Test class prefixes or globs, as pytest's python_classes.",
        is_list=True,
    ),
    Option(
        "--coroutine-functions",
        None,
        "Dotted names of your own coroutine functions or methods (pkg.mod.fetch, pkg.mod.Client.get) that the "
        "plugin cannot see from the source, e.g. made by a decorator.",
        is_list=True,
    ),
    Option(
        "--session-factories",
        None,
        "Names (SessionLocal, get_session, app.db.async_session) whose call gives a database session, for "
        "ATS3xx, where the plugin cannot see the sessionmaker behind them.",
        is_list=True,
    ),
    Option(
        "--await-habits",
        None,
        "Whether a call on a fixture's value that the suite awaits in at least two other places, and never "
        "uses as a plain value, counts as a coroutine call where no type says so (on or off; default: on).",
        choices=("on", "off"),
    ),
    Option(
        "--async-classes",
        None,
        "Dotted names of classes whose public methods all return coroutines (pkg.client.ApiClient).",
        is_list=True,
    ),
)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Overrides of pytest configuration values, by PytestConfig field name, and the
    coroutine callables the user declares."""

    overrides: tuple[tuple[str, Any], ...] = ()
    coroutine_functions: frozenset[str] = frozenset()
    async_classes: frozenset[str] = frozenset()
    session_factories: frozenset[str] = frozenset()
    await_habits: bool = True
    """Learn from the suite which calls on fixture values it awaits (habits.py)."""

    def apply_to(self, config: PytestConfig) -> PytestConfig:
        return dataclasses.replace(config, **dict(self.overrides)) if self.overrides else config

    @classmethod
    def from_options(cls, options: Any) -> Settings:
        overrides: list[tuple[str, Any]] = []
        own: dict[str, Any] = {}
        for option in OPTIONS:
            raw = getattr(options, option.dest, None)
            if raw is None or raw == "" or raw == []:
                continue
            value = _validated(option, raw)
            if value is None:
                continue
            if option.config_field is None:
                own[option.dest] = frozenset(value) if option.is_list else value == "on"
            else:
                overrides.append((option.config_field, value))
        return cls(tuple(overrides), **own)


def _validated(option: Option, raw: Any) -> Any:
    name = option.flag.lstrip("-")
    if option.is_list:
        items = raw if isinstance(raw, list) else str(raw).replace(",", " ").split()
        return tuple(item.strip() for item in items if item.strip()) or None
    text = str(raw).strip().lower()
    if option.is_bool:
        if text in _BOOLEANS:
            return _BOOLEANS[text]
        PROJECT.warn_once(f"{name} = {raw!r} is not true or false; using the pytest configuration")
        return None
    if text not in option.choices:
        PROJECT.warn_once(f"{name} = {raw!r} is not one of {', '.join(option.choices)}; using the pytest configuration")
        return None
    return text
