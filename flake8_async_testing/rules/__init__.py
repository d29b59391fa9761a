"""The rule families, one module each, in the order they run: ATS1xx is three families
(coroutines never awaited, task outcomes never looked at, resources never closed), ATS3xx two
(database state, dependency overrides), ATS4xx two (event loops, sync test clients), ATS2xx and ATS5xx one each."""

from __future__ import annotations

from .base import Code, RuleFamily
from .db_fixtures import DbFixtures
from .dependency_overrides import DependencyOverrides
from .event_loop import EventLoop
from .missing_await import MissingAwait
from .mock_misuse import MockMisuse
from .not_run_async import NotRunAsync
from .sync_test_clients import SyncTestClients
from .task_outcomes import TaskOutcomes
from .unclosed_resources import UnclosedResources

FAMILIES: tuple[type[RuleFamily], ...] = (
    MissingAwait,
    TaskOutcomes,
    UnclosedResources,
    NotRunAsync,
    DbFixtures,
    DependencyOverrides,
    EventLoop,
    SyncTestClients,
    MockMisuse,
)
ALL_CODES: tuple[Code, ...] = tuple(code for family in FAMILIES for code in family.codes)

__all__ = ["ALL_CODES", "FAMILIES", "Code", "RuleFamily"]
