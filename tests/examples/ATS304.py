import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

app = FastAPI()


def get_db():
    return "real database"


def get_user():
    return "alice"


@pytest.fixture
def fake_db_client():
    app.dependency_overrides[get_db] = lambda: "fake database"  # error: ATS304:5 role=fixture name=fake_db_client mapping="app.dependency_overrides[get_db]"
    with TestClient(app) as client:
        yield client


def test_overrides_in_the_test():
    app.dependency_overrides.update({get_user: lambda: "bob"})  # error: ATS304:5 role=test name=test_overrides_in_the_test mapping=app.dependency_overrides
    with TestClient(app) as client:
        assert client.get("/").status_code == 404


class TestInAClass:
    @pytest.fixture
    def as_admin(self):
        app.dependency_overrides[get_user] = lambda: "admin"  # error: ATS304:9 role=fixture name=as_admin mapping="app.dependency_overrides[get_user]"
        return app


# -- put back in the test itself, or by patch.dict / monkeypatch: silent ----------------------


def test_deleted_at_the_end():
    app.dependency_overrides[get_user] = lambda: "bob"
    del app.dependency_overrides[get_user]


def clear_overrides():
    app.dependency_overrides.clear()


def test_restored_by_a_helper_of_the_module():
    app.dependency_overrides[get_user] = lambda: "bob"
    try:
        with TestClient(app) as client:
            assert client.get("/").status_code == 404
    finally:
        clear_overrides()


def test_patch_dict_restores_by_itself(monkeypatch):
    from unittest.mock import patch

    with patch.dict(app.dependency_overrides, {get_db: lambda: "fake database"}):
        pass
    monkeypatch.setitem(app.dependency_overrides, get_user, lambda: "bob")


def helper_sets_overrides():
    app.dependency_overrides[get_db] = lambda: "fake database"  # not a test or fixture


app.dependency_overrides[get_user] = lambda: "module level"  # at import: not a test or fixture


# -- an application made in the test or handed in: silent --------------------------------------


def test_a_local_application_dies_with_the_test():
    local_app = FastAPI()
    local_app.dependency_overrides[get_db] = lambda: "fake database"  # FastAPI's own tests do this
    with TestClient(local_app) as client:
        assert client.get("/").status_code == 404


def test_an_application_from_a_fixture(client):
    client.app.dependency_overrides[get_db] = lambda: "fake database"  # may be a fresh app per test: not followed
