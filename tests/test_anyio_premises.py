"""ATS403 under anyio, in real pytest sessions (anyio 4.x, pytest-asyncio in strict mode beside
it): anyio's own anyio_backend is module-scoped, so a session-scoped async fixture of an anyio
test fails with ScopeMismatch while a module-scoped one runs; a plain conftest override is
function-scoped and fails the module-scoped one too; a session-scoped override fixes both."""

from __future__ import annotations

import pytest
from test_runtime_premises import run_pytest

pytest.importorskip("anyio")

CONFIG = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"

SUITE = """\
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="session")
async def pool():
    return object()


@pytest.fixture(scope="module")
async def cache():
    return object()


async def test_pool(pool):
    assert pool


async def test_cache(cache):
    assert cache
"""

BACKEND = """\
import pytest


@pytest.fixture{scope}
def anyio_backend():
    return "asyncio"
"""


def test_anyio_backend_scopes_decide_and_the_plugin_follows_them(project):
    project.write("pytest.ini", CONFIG)
    project.write("default/test_default.py", SUITE)
    project.write("function/conftest.py", BACKEND.format(scope=""))
    project.write("function/test_function.py", SUITE)
    project.write("session/conftest.py", BACKEND.format(scope='(scope="session")'))
    project.write("session/test_session.py", SUITE)
    assert project.codes("default/test_default.py") == ["ATS403"]
    assert project.codes("function/test_function.py") == ["ATS403", "ATS403"]
    assert project.codes("session/test_session.py") == []
    default = run_pytest(project, "default", "-p", "no:randomly")
    assert "ScopeMismatch: You tried to access the module scoped fixture anyio_backend with a session scoped" in (
        default.stdout
    )
    assert "ERROR default/test_default.py::test_pool" in default.stdout
    assert "ERROR default/test_default.py::test_cache" not in default.stdout
    function = run_pytest(project, "function")
    assert "2 errors" in function.stdout and "ScopeMismatch" in function.stdout, function.stdout
    assert "2 passed" in run_pytest(project, "session").stdout
