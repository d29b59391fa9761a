"""Which fixture definition pytest picks for a request: the innermost class's, the module's, then
the conftest chain's (nearest first) and plugin modules'; and every fixture a test ends up
requesting."""

from __future__ import annotations

from typing import Iterator

from .module_facts import ClassFacts, Decorated, Fixture, ModuleFacts


class FixtureLookup:
    """The fixtures a module's tests and fixtures can request."""

    def __init__(self, module: ModuleFacts, shared_modules: list[ModuleFacts]) -> None:
        self.module = module
        self.shared_modules = shared_modules
        """The conftest chain (nearest first), then plugin modules."""

    def fixture_defined_by(self, definition: Decorated) -> Fixture | None:
        """The fixture a collected def defines, if it is one."""
        return self.module.fixture_by_def.get(definition.node)

    def fixture_named(self, name: str, classes: list[ClassFacts], skip: Fixture | None = None) -> Fixture | None:
        """The definition pytest picks for a request: innermost class, module, conftests.
        `skip` is the requesting fixture itself: a fixture that requests its own name gets
        the definition it overrides."""
        for fixture_map in self._fixture_maps(classes):
            fixture = fixture_map.get(name)
            if fixture is not None and fixture is not skip:
                return fixture
        return None

    def autouse_fixtures(self, classes: list[ClassFacts]) -> list[Fixture]:
        """The autouse fixtures a test of these classes gets, the closest definition of each name."""
        found: dict[str, Fixture] = {}
        for fixture_map in self._fixture_maps(classes):
            for name, fixture in fixture_map.items():
                if name not in found:
                    found[name] = fixture
        return [fixture for fixture in found.values() if fixture.autouse]

    def every_fixture(self) -> Iterator[Fixture]:
        """Every fixture definition the module's tests may get: its classes', its own, the
        conftest chain's and plugin modules' (overridden ones too)."""
        for cls in self.module.classes.values():
            yield from cls.fixtures.values()
        for facts in (self.module, *self.shared_modules):
            yield from facts.fixtures.values()

    def _fixture_maps(self, classes: list[ClassFacts]) -> Iterator[dict[str, Fixture]]:
        for cls in reversed(classes):
            yield cls.fixtures
        yield self.module.fixtures
        for facts in self.shared_modules:
            yield facts.fixtures

    def fixture_closure(self, requested: list[str], classes: list[ClassFacts]) -> dict[str, list[Fixture]]:
        """Every fixture a test ends up requesting, through fixtures and autouse ones, by name
        (every definition of an overridden name is followed: silence over a guess)."""
        maps = list(self._fixture_maps(classes))
        pending = list(requested)
        pending += [fixture.name for fixture_map in maps for fixture in fixture_map.values() if fixture.autouse]
        seen: dict[str, list[Fixture]] = {}
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen[name] = [fixture_map[name] for fixture_map in maps if name in fixture_map]
            for fixture in seen[name]:
                pending.extend(fixture.requests)
        return seen
