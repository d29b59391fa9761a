"""Behaviours of the semantic model that no other test pinned: each small program gives the
findings it gives only because the model answers as it does (removing the behaviour changes
them). One program per behaviour, in the spirit of pyflakes' test_undefined_names.py."""

from __future__ import annotations

import ast
import textwrap

from flake8_async_testing.plugin import check
from flake8_async_testing.settings import Settings

AUTO = Settings((("asyncio_mode", "auto"),))


def findings(source: str, filename: str = "test_pins.py") -> list[tuple[int, str]]:
    tree = ast.parse(textwrap.dedent(source))
    return [(line, message.split()[0]) for line, _, message in check(tree, filename, AUTO)]


def test_a_mock_class_imported_inside_a_function_makes_mocks():
    """`from unittest.mock import MagicMock` in the test binds a mock class there: awaiting
    what its instance returns is ATS501."""
    assert findings(
        """
        async def test_local_import():
            from unittest.mock import MagicMock
            client = MagicMock()
            await client.fetch()
        """
    ) == [(5, "ATS501")]


def test_a_walrus_in_a_comprehension_binds_in_the_enclosing_function():
    """PEP 572: `(c := fetch())` inside a comprehension binds `c` in the test, where it is never
    awaited."""
    assert findings(
        """
        async def fetch():
            return 1


        async def test_walrus():
            [(c := fetch()) for _ in range(1) if True]
            await c
        """
    ) == []
    assert findings(
        """
        async def fetch():
            return 1


        async def test_walrus():
            any((c := fetch()) for _ in range(1))
            assert c
        """
    ) == [(7, "ATS101")]


def test_each_test_gets_its_own_copy_of_set_up_state():
    """What setUp puts on `self` reaches every test method; what one test sets on it later does
    not reach the next one."""
    assert findings(
        """
        import unittest
        from unittest.mock import AsyncMock, MagicMock


        class TestService(unittest.IsolatedAsyncioTestCase):
            def setUp(self):
                self.client = MagicMock()

            async def test_replaces_it(self):
                self.client = AsyncMock()
                await self.client.fetch()

            async def test_uses_set_up_state(self):
                await self.client.fetch()
        """
    ) == [(15, "ATS501")]


def test_a_coroutine_read_by_a_nested_lambda_is_passed_on():
    assert findings(
        """
        async def fetch():
            return 1


        async def test_lambda():
            coroutine = fetch()
            later = lambda: coroutine
            return later
        """
    ) == []
    assert findings(
        """
        async def fetch():
            return 1


        async def test_no_lambda():
            coroutine = fetch()
            later = lambda: None
            return later
        """
    ) == [(7, "ATS101")]


def test_a_fixture_whose_yields_disagree_holds_nothing_known():
    """One branch yields an httpx client, the other something else: the parameter is unknown."""
    source = """
        import httpx
        import pytest


        @pytest.fixture
        async def client(request):
            if request.param:
                async with httpx.AsyncClient() as client:
                    yield client
            else:
                yield {YIELD}


        async def test_home(client):
            client.get("/")
        """
    assert findings(source.replace("{YIELD}", "object()")) == []
    assert findings(source.replace("{YIELD}", "httpx.AsyncClient()")) == [(16, "ATS101")]


def test_methods_see_class_body_names_only_through_the_class():
    """A name bound in the class body is not visible from its methods: `helper` there is the
    module's sync function, not the class attribute (an AsyncMock)."""
    assert findings(
        """
        from unittest.mock import AsyncMock


        def helper():
            return 1


        class TestThing:
            helper = AsyncMock()

            async def test_module_function(self):
                helper()
        """
    ) == []


def test_what_a_helper_returns_is_worked_out_again_under_other_settings(project):
    """Answers kept per definition for the whole process depend on the settings too: a helper
    that returns `SessionLocal()` gives a session only where `session-factories` names it."""
    from flake8_async_testing.settings import Settings as PluginSettings

    project.write("pyproject.toml", "[tool.pytest.ini_options]\n")
    project.write("app/__init__.py", "")
    project.write(
        "app/db.py", "from somewhere import SessionLocal\n\n\ndef make_session():\n    return SessionLocal()\n"
    )
    project.write(
        "tests/conftest.py",
        "import pytest\n\nfrom app.db import make_session\n\n\n@pytest.fixture\ndef session():\n"
        "    yield make_session()\n",
    )
    declared = PluginSettings(session_factories=frozenset({"SessionLocal"}))
    assert project.codes("tests/conftest.py", declared) == ["ATS301"]
    assert project.codes("tests/conftest.py", PluginSettings()) == []
    assert project.codes("tests/conftest.py", declared) == ["ATS301"]
