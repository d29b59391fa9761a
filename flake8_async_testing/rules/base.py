"""What every rule family shares: its codes, and a way to report a finding."""

from __future__ import annotations

import ast
import dataclasses
from typing import TYPE_CHECKING, Callable, ClassVar

if TYPE_CHECKING:
    from ..context import FileContext
    from ..pytest_model import ClassFacts, Decorated, FunctionNode
    from ..scopes import ScopeTracker
    from ..walk import Walk

Finding = tuple[int, int, str]


@dataclasses.dataclass(frozen=True)
class Code:
    """A public error code, its message template and a one-line summary for the docs."""

    code: str
    message: str
    summary: str

    def format(self, **details: str) -> str:
        return f"{self.code} {self.message.format(**details)}"


class RuleFamily:
    """One anti-pattern family of RULES.md: a visitor the single walk drives.

    Subclasses declare `codes` and define `enter_<NodeType>(node)` or
    `leave_<NodeType>(node, scope)` handlers; the walk calls only those.
    """

    codes: ClassVar[tuple[Code, ...]] = ()
    uses_scopes: ClassVar[bool] = False
    """True for families that ask the shared ScopeTracker what names stand for."""
    walk: Walk
    scopes: ScopeTracker

    def __init__(self, context: FileContext, enabled: frozenset[str], report: Callable[[Finding], None]) -> None:
        self.context = context
        self.enabled = enabled
        self._report = report

    def report(self, code: Code, node: ast.AST, **details: str) -> None:
        if code.code in self.enabled:
            self._report((node.lineno, node.col_offset, code.format(**details)))  # type: ignore[attr-defined]

    def collected_def(self, node: FunctionNode) -> tuple[Decorated, list[ClassFacts]] | None:
        """From an enter handler: see FileContext.collected_def."""
        return self.context.collected_def(node, self.walk.scopes)
