"""What every rule family shares: its codes, and a way to report a finding."""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
import string
from typing import TYPE_CHECKING, Callable, ClassVar

if TYPE_CHECKING:
    from ..context import FileContext
    from ..module_facts import ClassFacts, Decorated, FunctionNode
    from ..semantic_model import SemanticModel

Finding = tuple[int, int, str]


@dataclasses.dataclass(frozen=True)
class Code:
    """A public error code, its message template and a one-line summary for the docs."""

    code: str
    message: str
    summary: str

    def format(self, **details: str) -> str:
        return f"{self.code} {self.message.format(**details)}"

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The argument names of the message template, in order of first use."""
        names: list[str] = []
        for _, field, _, _ in string.Formatter().parse(self.message):
            if field is not None and field not in names:
                names.append(field)
        return tuple(names)

    def pattern(self, greedy: bool = False) -> re.Pattern[str]:
        """The message template as a regular expression (for `fullmatch`), one named group per
        placeholder, never empty, the same text wherever a placeholder comes back; a placeholder
        in single quotes ('{call}') holds no quote."""
        return _template_pattern(self.message, greedy)

    def parse(self, text: str) -> dict[str, str] | None:
        """The arguments of a message of this code (the text after the code), None if the text
        is no message of it: what the fix command reads a finding's arguments with."""
        found = self.pattern().fullmatch(text)
        return found.groupdict() if found is not None else None


@functools.lru_cache(maxsize=None)
def _template_pattern(template: str, greedy: bool) -> re.Pattern[str]:
    pieces = list(string.Formatter().parse(template))
    parts: list[str] = []
    seen: set[str] = set()
    for index, (literal, field, spec, conversion) in enumerate(pieces):
        parts.append(re.escape(literal))
        if field is None:
            continue
        if spec or conversion or not field.isidentifier():
            raise ValueError(f"template placeholder {{{field}}} is not a plain name: {template!r}")
        if field in seen:
            parts.append(f"(?P={field})")
            continue
        seen.add(field)
        following = pieces[index + 1][0] if index + 1 < len(pieces) else ""
        quoted = literal.endswith("'") and following.startswith("'")
        text = "[^']+" if quoted else ".+"
        parts.append(f"(?P<{field}>{text}{'' if greedy else '?'})")
    return re.compile("".join(parts), re.DOTALL)


class RuleFamily:
    """One family of related codes: a visitor the single walk drives.

    Subclasses declare `codes` and define `enter_<NodeType>(node)` or `leave_<NodeType>(node)`
    handlers; the walk calls only those, after the semantic model's enter and before its leave.
    An `on_frame_exit(frame)` method is called as each frame but the module ends.
    """

    codes: ClassVar[tuple[Code, ...]] = ()

    def __init__(
        self,
        context: FileContext,
        model: SemanticModel,
        enabled: frozenset[str],
        report: Callable[[Finding], None],
    ) -> None:
        self.context = context
        self.model = model
        """What names hold, and where the walk is: read only."""
        self.enabled = enabled
        self._report = report

    def applies(self) -> bool:
        """Can the family report anything in this file? One that cannot is not walked (asked
        once, after it is made)."""
        return True

    def report(self, code: Code, node: ast.AST, **details: str) -> None:
        if code.code in self.enabled:
            self._report((node.lineno, node.col_offset, code.format(**details)))  # type: ignore[attr-defined]

    def collected_def(self, node: FunctionNode) -> tuple[Decorated, list[ClassFacts]] | None:
        """See FileContext.collected_def."""
        return self.model.collected_def(node)
