"""What every rule family shares: its codes, and a way to report a finding."""

from __future__ import annotations

import ast
import dataclasses
from typing import TYPE_CHECKING, Callable, ClassVar

if TYPE_CHECKING:
    from ..bindings import BindingTracker
    from ..context import FileContext
    from ..pytest_model import ClassFacts, Decorated, FunctionNode

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

    Subclasses declare `codes` and define `enter_<NodeType>(node)` or `leave_<NodeType>(node)`
    handlers; the walk calls only those, after the binding tracker's enter and before its leave.
    An `on_frame_exit(frame)` method is called as each frame ends.
    """

    codes: ClassVar[tuple[Code, ...]] = ()

    def __init__(
        self,
        context: FileContext,
        bindings: BindingTracker,
        enabled: frozenset[str],
        report: Callable[[Finding], None],
    ) -> None:
        self.context = context
        self.bindings = bindings
        """What names hold, and where the walk is."""
        self.enabled = enabled
        self._report = report

    def report(self, code: Code, node: ast.AST, **details: str) -> None:
        if code.code in self.enabled:
            self._report((node.lineno, node.col_offset, code.format(**details)))  # type: ignore[attr-defined]

    def collected_def(self, node: FunctionNode) -> tuple[Decorated, list[ClassFacts]] | None:
        """See FileContext.collected_def."""
        return self.bindings.collected_def(node)
