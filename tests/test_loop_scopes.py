"""Loop scopes across files and configurations: a conftest in a parent folder, the pytest
config's defaults, and the flake8 options that override them (ATS4xx)."""

from __future__ import annotations

import textwrap

import pytest

from conftest import clear_caches

from flake8_async_testing.settings import Settings

SESSION_FIXTURE_CONFTEST = """\
import asyncio

import pytest_asyncio


@pytest_asyncio.fixture(scope="session")
async def engine():
    yield asyncio.get_running_loop().create_future()  # bound to the loop that made it
"""

MARKED_TEST = """\
import pytest


@pytest.mark.asyncio
async def test_query(engine):
    assert engine
"""


@pytest.mark.parametrize(
    ("ini", "expected"),
    [
        ("", ["ATS404"]),  # fixture: its own scope (session); test: function
        ("asyncio_default_test_loop_scope = session\n", []),
        ("asyncio_default_fixture_loop_scope = function\n", []),  # ATS403 is the conftest's; the loops match
        ("asyncio_default_fixture_loop_scope = fixture-scope\n", ["ATS404"]),
        ("asyncio_default_fixture_loop_scope = session\nasyncio_default_test_loop_scope = session\n", []),
    ],
)
def test_conftest_in_a_parent_folder_and_the_configured_defaults(project, ini, expected):
    project.write("pytest.ini", "[pytest]\n" + ini)
    project.write("tests/conftest.py", SESSION_FIXTURE_CONFTEST)
    project.write("tests/api/test_query.py", MARKED_TEST)
    assert project.codes("tests/api/test_query.py") == expected


@pytest.mark.parametrize(
    ("ini", "expected"),
    [
        ("", []),
        ("asyncio_default_fixture_loop_scope = function\n", ["ATS403"]),
        ("asyncio_default_fixture_loop_scope = session\n", []),
        ("asyncio_default_fixture_loop_scope = fixture-scope\n", []),
        ("asyncio_default_fixture_loop_scope = nonsense\n", []),  # one warning, then the default (unset)
    ],
)
def test_fixture_scope_wider_than_the_configured_default_loop_scope(project, ini, expected):
    project.write("pytest.ini", "[pytest]\n" + ini)
    project.write("tests/conftest.py", SESSION_FIXTURE_CONFTEST)
    assert project.codes("tests/conftest.py") == expected


def test_flake8_options_override_the_configured_loop_scopes(project):
    project.write("pytest.ini", "[pytest]\nasyncio_default_test_loop_scope = session\n")
    project.write("tests/conftest.py", SESSION_FIXTURE_CONFTEST)
    project.write("tests/test_query.py", MARKED_TEST)
    assert project.codes("tests/test_query.py") == []
    function_loops = Settings((("asyncio_default_test_loop_scope", "function"),))
    assert project.codes("tests/test_query.py", function_loops) == ["ATS404"]
    function_fixtures = Settings((("asyncio_default_fixture_loop_scope", "function"),))
    assert project.codes("tests/conftest.py", function_fixtures) == ["ATS403"]


def test_auto_mode_runs_plain_async_fixtures_and_unmarked_tests(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    project.write(
        "tests/conftest.py",
        """\
        import asyncio

        import pytest


        @pytest.fixture(scope="session")
        async def engine():
            yield asyncio.get_running_loop().create_future()
        """,
    )
    project.write("tests/test_query.py", "async def test_query(engine):\n    assert engine\n")
    assert project.codes("tests/test_query.py") == ["ATS404"]
    project.write("pytest.ini", "[pytest]\nasyncio_mode = strict\n")
    clear_caches()
    assert project.codes("tests/test_query.py") == ["ATS201"]  # not run by pytest-asyncio at all


def test_a_module_fixture_overrides_the_conftest_one(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("tests/conftest.py", SESSION_FIXTURE_CONFTEST)
    project.write(
        "tests/test_query.py",
        """\
        import pytest
        import pytest_asyncio


        @pytest_asyncio.fixture
        async def engine():
            yield object()


        @pytest.mark.asyncio
        async def test_query(engine):
            assert engine
        """,
    )
    assert project.codes("tests/test_query.py") == []


EVENT_LOOP_REQUESTS = """\
import asyncio

import pytest


def test_sync(event_loop):
    assert event_loop.run_until_complete(asyncio.sleep(0, result=1)) == 1


@pytest.mark.asyncio
async def test_async(event_loop):
    assert event_loop
"""


EVENT_LOOP_FIXTURE = """\
import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


"""


def test_event_loop_requests_with_and_without_a_conftest_definition(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("tests/test_loop.py", EVENT_LOOP_REQUESTS)
    assert project.codes("tests/test_loop.py") == ["ATS402", "ATS402"]  # "fixture 'event_loop' not found"
    clear_caches()
    project.write("tests/conftest.py", EVENT_LOOP_FIXTURE)
    assert project.codes("tests/conftest.py") == ["ATS401"]
    assert project.codes("tests/test_loop.py") == ["ATS402"]  # only the async test gets another loop


def test_event_loop_request_is_silent_where_an_unknown_plugin_may_provide_it(project):
    project.write("pytest.ini", "[pytest]\naddopts = -p some_loop_plugin\n")
    project.write("tests/test_loop.py", EVENT_LOOP_REQUESTS)
    assert project.codes("tests/test_loop.py") == []


def test_event_loop_fixture_of_a_hand_written_runner_is_not_pytest_asyncios(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write(
        "tests/conftest.py",
        EVENT_LOOP_FIXTURE
        + textwrap.dedent(
            """\
        import inspect


        @pytest.hookimpl(tryfirst=True)
        def pytest_pyfunc_call(pyfuncitem):
            if inspect.iscoroutinefunction(pyfuncitem.obj):
                loop = pyfuncitem.funcargs["event_loop"]
                loop.run_until_complete(pyfuncitem.obj(**pyfuncitem.funcargs))
                return True
        """
        ),
    )
    project.write("tests/test_loop.py", EVENT_LOOP_REQUESTS)
    assert project.codes("tests/conftest.py") == []
    assert project.codes("tests/test_loop.py") == []


LOOP_CALLS = """\
import asyncio


async def main():
    loop = asyncio.get_event_loop()
    asyncio.run(other())
    asyncio.set_event_loop_policy(None)
    loop.close()


async def other():
    pass
"""


def test_loop_calls_are_only_checked_in_test_code(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("app/loops.py", LOOP_CALLS)
    project.write("tests/test_loops.py", LOOP_CALLS)
    project.write("tests/conftest.py", LOOP_CALLS)
    assert project.codes("app/loops.py") == []
    assert project.codes("tests/test_loops.py") == ["ATS405", "ATS406", "ATS407"]
    assert project.codes("tests/conftest.py") == ["ATS405", "ATS406", "ATS407"]


CLIENT_CONFTEST = """\
import asyncpg
import pytest
import pytest_asyncio
from fastapi.testclient import TestClient

from myapp.main import app, get_pool


@pytest_asyncio.fixture
async def pool():
    pool = await asyncpg.create_pool("postgresql://app@localhost/app")
    yield pool
    await pool.close()


@pytest.fixture
def client():
    with TestClient(app) as client:
        yield client
"""


def test_sync_test_client_from_a_conftest_with_an_override_in_the_test_module(project):
    """ATS410 across files: the client fixture and the pool in tests/conftest.py, the override
    in the test module, the application by its import in both."""
    project.write("pytest.ini", "[pytest]\n")
    project.write("myapp/main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n\n\ndef get_pool():\n    pass\n")
    project.write("tests/conftest.py", CLIENT_CONFTEST)
    overriding = (
        "from myapp.main import app, get_pool\n\n\n"
        "def test_users(client, pool):\n"
        "    app.dependency_overrides[get_pool] = lambda: pool\n"
        "    assert client.get('/users').status_code == 200\n"
        "    app.dependency_overrides.clear()\n"
    )
    project.write("tests/test_users.py", overriding)
    assert project.codes("tests/test_users.py") == ["ATS410"]
    assert project.codes("tests/conftest.py") == []
    elsewhere = overriding.replace("from myapp.main import app", "from fastapi import FastAPI\n\napp = FastAPI()")
    project.write("tests/test_other_app.py", elsewhere)
    assert project.codes("tests/test_other_app.py") == []  # another application than the client's


def test_sync_test_client_fixture_in_a_conftest_that_overrides_itself(project):
    """The conftest's own client fixture gets the pool and overrides: reported there, once, and
    not again at each test that requests it."""
    project.write("pytest.ini", "[pytest]\n")
    project.write("myapp/main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n\n\ndef get_pool():\n    pass\n")
    conftest = CLIENT_CONFTEST.replace(
        "def client():\n", "def client(pool):\n    app.dependency_overrides[get_pool] = lambda: pool\n"
    ).replace("yield client\n", "yield client\n    app.dependency_overrides.clear()\n")
    project.write("tests/conftest.py", conftest)
    requesting = "def test_users(client):\n    assert client.get('/users').status_code == 200\n"
    project.write("tests/test_users.py", requesting)
    assert project.codes("tests/conftest.py") == ["ATS410"]
    assert project.codes("tests/test_users.py") == []
