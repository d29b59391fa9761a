"""ATS304 in real pytest sessions: an override a fixture leaves behind changes what a later test
gets (it passes alone, fails after the fixture ran); a conftest fixture that clears the
overrides at teardown keeps every test apart, and the plugin stays silent there."""

from __future__ import annotations

import pytest
from test_runtime_premises import run_pytest

pytest.importorskip("fastapi")

APP = """\
from fastapi import Depends, FastAPI

app = FastAPI()


def get_db():
    return "real database"


@app.get("/db")
def which_db(db: str = Depends(get_db)):
    return {"db": db}
"""

SUITE = """\
import pytest
from fastapi.testclient import TestClient

from app import app, get_db


@pytest.fixture
def fake_db_client():
    app.dependency_overrides[get_db] = lambda: "fake database"
    with TestClient(app) as client:
        yield client


def test_with_the_fake(fake_db_client):
    assert fake_db_client.get("/db").json() == {"db": "fake database"}


def test_with_the_real_database():
    with TestClient(app) as client:
        assert client.get("/db").json() == {"db": "real database"}
"""

CLEARING_CONFTEST = """\
import pytest

from app import app


@pytest.fixture(autouse=True)
def clear_overrides():
    yield
    app.dependency_overrides.clear()
"""


def test_a_leaked_override_makes_a_later_test_fail_and_only_after_it(project):
    project.write("app.py", APP)
    project.write("test_app.py", SUITE)
    assert project.codes("test_app.py") == ["ATS304"]
    together = run_pytest(project, "test_app.py")
    assert "FAILED test_app.py::test_with_the_real_database" in together.stdout
    assert "1 failed, 1 passed" in together.stdout
    alone = run_pytest(project, "test_app.py", "-k", "real")
    assert "1 passed, 1 deselected" in alone.stdout, alone.stdout


def test_a_conftest_fixture_that_clears_keeps_tests_apart_and_the_plugin_silent(project):
    project.write("app.py", APP)
    project.write("conftest.py", CLEARING_CONFTEST)
    project.write("test_app.py", SUITE)
    assert project.codes("test_app.py") == []
    assert "2 passed" in run_pytest(project, "test_app.py").stdout
