# A fixture that puts the overrides back after its yield or in a finally is silent; and where
# any fixture the module's tests may get clears them (here `cleared_after_yield`), no change in
# the module is reported: which tests get that fixture is not worked out (silence over a guess).
import pytest
from fastapi import FastAPI

app = FastAPI()


def get_db():
    return "real database"


@pytest.fixture
def cleared_after_yield():
    app.dependency_overrides[get_db] = lambda: "fake database"
    yield
    app.dependency_overrides.clear()


@pytest.fixture
def popped_in_finally():
    app.dependency_overrides[get_db] = lambda: "fake database"
    try:
        yield
    finally:
        app.dependency_overrides.pop(get_db, None)


@pytest.fixture
def saved_and_restored():
    saved = dict(app.dependency_overrides)
    app.dependency_overrides[get_db] = lambda: "fake database"
    yield
    app.dependency_overrides = saved


@pytest.fixture
def leaks_but_a_sibling_clears():
    app.dependency_overrides[get_db] = lambda: "fake database"
    return app
