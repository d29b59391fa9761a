"""The rule families, one module per family of codes (ATS1xx to ATS5xx), in the order they run."""

from __future__ import annotations

from .base import Code, RuleFamily
from .db_fixtures import DbFixtures
from .event_loop import EventLoop
from .missing_await import MissingAwait
from .mock_misuse import MockMisuse
from .not_run_async import NotRunAsync

FAMILIES: tuple[type[RuleFamily], ...] = (MissingAwait, NotRunAsync, DbFixtures, EventLoop, MockMisuse)
ALL_CODES: tuple[Code, ...] = tuple(code for family in FAMILIES for code in family.codes)

__all__ = ["ALL_CODES", "FAMILIES", "Code", "RuleFamily"]
