"""The coroutine resolver reads the project's own modules from disk, and the user's options."""

from __future__ import annotations

import subprocess
import sys

import pytest

from flake8_async_testing.settings import Settings

SERVICES = """\
async def create_user(name):
    return name


def sync_helper():
    return 1


async def stream_users():
    yield 1


class UserService:
    async def fetch(self, key):
        return key

    @staticmethod
    async def count():
        return 0
"""


@pytest.fixture
def app_project(project):
    project.write("pyproject.toml", '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n')
    project.write("app/__init__.py", "from .services import create_user\n")
    project.write("app/services.py", SERVICES)
    return project


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from app.services import create_user", "create_user(1)"),
        ("from app.services import create_user as make", "make(1)"),
        ("import app.services as svc", "svc.create_user(1)"),
        ("import app.services", "app.services.create_user(1)"),
        ("from app import services", "services.create_user(1)"),
        ("from app import create_user", "create_user(1)"),
        ("from app.services import UserService", "UserService.count()"),
    ],
)
def test_coroutine_functions_of_project_modules(app_project, imports, call):
    app_project.write("tests/test_x.py", f"{imports}\n\nasync def test_x():\n    {call}\n")
    assert app_project.codes("tests/test_x.py") == ["ATS101"]


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from app.services import create_user", "create_user(1)"),
        ("import app.services as svc", "svc.create_user(1)"),
        ("from app import services", "services.create_user(1)"),
    ],
)
def test_imports_inside_the_test_resolve_like_module_imports(app_project, imports, call):
    app_project.write("tests/test_x.py", f"async def test_x():\n    {imports}\n    {call}\n")
    assert app_project.codes("tests/test_x.py") == ["ATS101"]
    name = call.partition("(")[0].partition(".")[0]
    app_project.write("tests/test_y.py", f"async def test_x():\n    {imports}\n    {name} = object\n    {call}\n")
    assert app_project.codes("tests/test_y.py") == []


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from app.services import sync_helper", "sync_helper()"),
        ("from app.services import stream_users", "stream_users()"),
        ("from app.missing import create_user", "create_user(1)"),
        ("from elsewhere import create_user", "create_user(1)"),
    ],
)
def test_what_is_not_a_project_coroutine_function(app_project, imports, call):
    app_project.write("tests/test_x.py", f"{imports}\n\nasync def test_x():\n    {call}\n")
    assert app_project.codes("tests/test_x.py") == []


def test_instances_of_project_classes(app_project):
    app_project.write(
        "tests/test_x.py",
        """\
        from app.services import UserService

        async def test_annotated(service: UserService):
            service.fetch(1)

        async def test_constructed():
            service = UserService()
            service.fetch(2)
        """,
    )
    assert app_project.codes("tests/test_x.py") == ["ATS101", "ATS101"]


def test_relative_imports_and_src_layout(project):
    project.write("pyproject.toml", "[project]\nname = 'x'\n")
    project.write("src/pkg/__init__.py", "")
    project.write("src/pkg/api.py", SERVICES)
    project.write("tests/__init__.py", "")
    project.write("tests/helpers.py", "async def prepare():\n    return 1\n")
    project.write(
        "tests/test_x.py",
        """\
        import pytest
        from pkg.api import create_user
        from .helpers import prepare

        @pytest.mark.asyncio
        async def test_x():
            create_user(1)
            prepare()
        """,
    )
    assert project.codes("tests/test_x.py") == ["ATS101", "ATS101"]


def test_project_modules_are_parsed_once_per_process(app_project, monkeypatch):
    from flake8_async_testing import project as project_index

    parsed = []
    real = project_index.module_facts
    monkeypatch.setattr(project_index, "module_facts", lambda tree, path: parsed.append(path) or real(tree, path))
    for index in range(3):
        app_project.write(
            f"tests/test_{index}.py",
            "from app.services import create_user\n\nasync def test_x():\n    create_user(1)\n",
        )
        assert app_project.codes(f"tests/test_{index}.py") == ["ATS101"]
    assert sum(path.endswith("services.py") for path in parsed) == 1


def test_user_declared_coroutine_functions_and_async_classes(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    project.write(
        "test_x.py",
        """\
        from vendor.client import fetch, ApiClient

        async def test_x(api: ApiClient):
            fetch()
            api.get_user(1)
            api._private()
        """,
    )
    assert project.codes("test_x.py") == []
    settings = Settings(
        coroutine_functions=frozenset({"vendor.client.fetch"}), async_classes=frozenset({"vendor.client.ApiClient"})
    )
    assert project.codes("test_x.py", settings) == ["ATS101", "ATS101"]


def test_flake8_run_with_a_coroutine_from_another_module(app_project):
    app_project.write(
        "tests/test_users.py",
        """\
        from app.services import create_user


        async def test_create():
            user = create_user("alice")
            assert user == "alice"


        def test_sync():
            create_user("bob")
        """,
    )
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "ATS", "tests/test_users.py"],
        cwd=app_project.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stdout.splitlines()
    assert [line.split(": ")[1][:6] for line in lines] == ["ATS101", "ATS102"], result.stderr
    assert lines[0].startswith(
        "tests/test_users.py:5:12: ATS101 coroutine from 'create_user' (a coroutine function) is never awaited"
    )
    assert lines[1].startswith("tests/test_users.py:10:5: ATS102 sync test 'test_sync' calls 'create_user' (a")


def test_options_are_read_from_the_flake8_config(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    project.write(
        ".flake8", "[flake8]\ncoroutine-functions = vendor.client.fetch\nasync-classes =\n    vendor.client.ApiClient\n"
    )
    project.write("test_x.py", "from vendor.client import fetch\n\nasync def test_x():\n    fetch()\n")
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "ATS", "test_x.py"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "ATS101" in result.stdout, result.stderr


def test_methods_inherited_from_a_base_class_in_another_module(project):
    project.write("pyproject.toml", '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n')
    project.write("pkg/__init__.py", "")
    project.write("pkg/base.py", "class BaseClient:\n    async def _trigger(self, name):\n        return name\n")
    project.write("pkg/client.py", "from .base import BaseClient\n\n\nclass Client(BaseClient):\n    pass\n")
    project.write(
        "tests/test_x.py",
        """\
        from unittest.mock import MagicMock
        from pkg.client import Client

        async def test_x():
            client = Client()
            client._trigger("go")
            client._trigger = MagicMock()
        """,
    )
    assert project.codes("tests/test_x.py") == ["ATS101", "ATS502"]
