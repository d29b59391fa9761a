"""The flake8 entry point: options, the choice of enabled rules, and one check per file."""

from __future__ import annotations

import ast
from typing import Any, ClassVar, Iterator

from . import __version__
from .context import FileContext
from .rules import ALL_CODES, FAMILIES
from .rules.base import Finding
from .semantic_model import SemanticModel
from .settings import OPTIONS, Settings
from .walk import Walk

ALL_CODE_NAMES = frozenset(code.code for code in ALL_CODES)


def check(
    tree: ast.Module, filename: str, settings: Settings = Settings(), enabled: frozenset[str] = ALL_CODE_NAMES
) -> list[Finding]:
    """Run every enabled rule family over one parsed file, in one walk."""
    families = [family for family in FAMILIES if any(code.code in enabled for code in family.codes)]
    if not families:
        return []
    findings: list[Finding] = []
    context = FileContext(tree, filename, settings)
    model = SemanticModel(context)
    visitors = [family(context, model, enabled, findings.append) for family in families]
    visitors = [visitor for visitor in visitors if visitor.applies()]
    for visitor in visitors:
        if hasattr(visitor, "on_frame_exit"):
            model.on_frame_exit(visitor.on_frame_exit)
    Walk([*model.visitors, *visitors]).run(tree)
    model.close()  # the model's parts and the families refer to each other: let refcounting free them
    findings.sort()
    return findings


class Plugin:
    name = "flake8-async-testing"
    version = __version__

    settings: ClassVar[Settings] = Settings()
    enabled: ClassVar[frozenset[str]] = ALL_CODE_NAMES

    def __init__(self, tree: ast.Module, filename: str) -> None:
        self.tree = tree
        self.filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        for option in OPTIONS:
            option_manager.add_option(
                option.flag,
                default=None,
                parse_from_config=True,
                comma_separated_list=option.is_list,
                help=f"flake8-async-testing: {option.help}",
            )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        cls.settings = Settings.from_options(options)
        cls.enabled = _enabled_codes(options)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        for line, column, message in check(self.tree, self.filename, self.settings, self.enabled):
            yield line, column, message, type(self)


def _enabled_codes(options: Any) -> frozenset[str]:
    """The codes flake8 will show, so that families whose codes are all off are not built."""
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)
        return frozenset(code.code for code in ALL_CODES if engine.decision_for(code.code) is Decision.Selected)
    except Exception:  # an older or newer flake8 without this API: run every rule
        return ALL_CODE_NAMES
