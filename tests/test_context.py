"""What the checker learns from beyond the file: the conftest chain, plugins and hooks."""

from __future__ import annotations

import ast

import pytest
from conftest import UNMARKED_ASYNC_TEST, clear_caches

from flake8_async_testing.module_facts import module_facts
from flake8_async_testing.settings import Settings

SYNC_TEST_REQUESTING_DB = """\
def test_sync(db):
    pass
"""
PLAIN_ASYNC_DB_FIXTURE = """\
import pytest

@pytest.fixture
async def db():
    return 1
"""


def test_async_fixture_from_a_parent_conftest(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("tests/conftest.py", PLAIN_ASYNC_DB_FIXTURE)
    project.write("tests/api/test_x.py", SYNC_TEST_REQUESTING_DB)
    assert project.codes("tests/api/test_x.py") == ["ATS207"]
    assert project.codes("tests/conftest.py") == ["ATS202"]


def test_nearer_conftest_overrides_with_a_sync_fixture(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("tests/conftest.py", PLAIN_ASYNC_DB_FIXTURE)
    project.write("tests/api/conftest.py", "import pytest\n\n@pytest.fixture\ndef db():\n    return 1\n")
    project.write("tests/api/test_x.py", SYNC_TEST_REQUESTING_DB)
    assert project.codes("tests/api/test_x.py") == []


def test_conftest_above_the_root_is_not_loaded(project):
    project.write("conftest.py", PLAIN_ASYNC_DB_FIXTURE)
    project.write("pkg/pytest.ini", "[pytest]\n")
    project.write("pkg/test_x.py", SYNC_TEST_REQUESTING_DB)
    assert project.codes("pkg/test_x.py") == []


def test_conftest_fixture_that_requests_itself_gets_the_parent(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("conftest.py", PLAIN_ASYNC_DB_FIXTURE)
    project.write(
        "tests/conftest.py",
        "import pytest\n\n@pytest.fixture\ndef db(db):  # wraps the parent's coroutine\n    return db\n",
    )
    assert project.codes("tests/conftest.py") == ["ATS207"]


def test_anyio_in_the_conftest_chain_silences_fixture_rules_for_tests_with_anyio_backend(project):
    """anyio runs a plain async fixture only for a test whose fixtures include anyio_backend
    (tests/test_field_premises.py): ATS202 stays silent, ATS207 only for such tests."""
    project.write("pytest.ini", "[pytest]\n")
    project.write("conftest.py", "import pytest\n\n@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'\n")
    project.write("tests/conftest.py", PLAIN_ASYNC_DB_FIXTURE)
    project.write("tests/test_x.py", SYNC_TEST_REQUESTING_DB)
    project.write("tests/test_y.py", "def test_sync(db, anyio_backend):\n    pass\n")
    assert project.codes("tests/conftest.py") == []
    assert project.codes("tests/test_x.py") == ["ATS207"]
    assert project.codes("tests/test_y.py") == []


def test_autouse_anyio_backend_in_conftest_runs_every_async_test(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write(
        "conftest.py",
        "import pytest\n\n@pytest.fixture(autouse=True)\ndef _anyio(anyio_backend):\n    pass\n",
    )
    project.write("tests/test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("tests/test_x.py") == []


def test_conftest_hooks_that_run_coroutines(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("tests/test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("tests/test_x.py") == ["ATS201"]
    for hook in ("pytest_pyfunc_call(pyfuncitem)", "pytest_pycollect_makeitem(collector, name, obj)"):
        project.write("conftest.py", f"def {hook}:\n    pass\n")
        clear_caches()
        assert project.codes("tests/test_x.py") == [], hook


def test_conftest_adding_marks_in_collection(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write(
        "conftest.py",
        """\
        import inspect, pytest

        def pytest_collection_modifyitems(items):
            for item in items:
                if inspect.iscoroutinefunction(item.obj):
                    item.add_marker(pytest.mark.asyncio)
        """,
    )
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == []


def test_runner_plugins(project):
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    for option in ("-p anyio", "-p pytest_trio", "-p aiohttp.pytest_plugin", "-p some_unknown_plugin"):
        project.write("pytest.ini", f"[pytest]\naddopts = {option}\n")
        clear_caches()
        assert project.codes("test_x.py") == [], option
    project.write("pytest.ini", "[pytest]\naddopts = -p pytester -p no:cacheprovider\n")
    clear_caches()
    assert project.codes("test_x.py") == ["ATS201"]


def test_local_pytest_plugins_module_is_read(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("tests/fixtures/db.py", PLAIN_ASYNC_DB_FIXTURE)
    project.write("tests/fixtures/__init__.py", "")
    project.write("tests/__init__.py", "")
    project.write("conftest.py", 'pytest_plugins = ["tests.fixtures.db"]\n')
    project.write("tests/test_x.py", SYNC_TEST_REQUESTING_DB + "\n" + UNMARKED_ASYNC_TEST)
    assert project.codes("tests/test_x.py") == ["ATS207", "ATS201"]


def test_local_plugin_with_runner_hook(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("helpers/runner.py", "def pytest_pyfunc_call(pyfuncitem):\n    pass\n")
    project.write("conftest.py", 'pytest_plugins = "helpers.runner"\n')
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == []


def test_asyncio_switched_off(project):
    project.write("pytest.ini", "[pytest]\naddopts = -p no:asyncio\n")
    project.write("conftest.py", PLAIN_ASYNC_DB_FIXTURE)
    assert project.codes("conftest.py") == []


def test_unreadable_conftest_makes_the_chain_unknown(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("conftest.py", "def broken(:\n")
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == []


def test_conftest_is_parsed_once_per_process(project, monkeypatch):
    from flake8_async_testing import project as project_index

    parsed = []
    real_module_facts = project_index.module_facts
    monkeypatch.setattr(
        project_index, "module_facts", lambda tree, path: parsed.append(path) or real_module_facts(tree, path)
    )
    project.write("pytest.ini", "[pytest]\n")
    project.write("conftest.py", PLAIN_ASYNC_DB_FIXTURE)
    for folder in ("a", "b", "a/c"):
        project.write(f"{folder}/test_x.py", SYNC_TEST_REQUESTING_DB)
        assert project.codes(f"{folder}/test_x.py") == ["ATS207"]
    conftest_parses = [path for path in parsed if path.endswith("conftest.py")]
    assert conftest_parses == [str(project.root / "conftest.py")]


def test_options_override_the_pytest_config(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == []
    assert project.codes("test_x.py", Settings((("asyncio_mode", "strict"),))) == ["ATS201"]


def test_settings_from_flake8_options_validate_values(capsys):
    class Options:
        asyncio_mode = "sideways"
        trio_mode = "TRUE"
        pytest_python_files = ["check_*.py", " "]

    settings = Settings.from_options(Options())
    assert dict(settings.overrides) == {"trio_mode": True, "python_files": ("check_*.py",)}
    assert "asyncio-mode" in capsys.readouterr().err


def test_conftest_fixture_serving_anyio_tests_below_it(project):
    """False positive guard: the async fixture is run by anyio for the marked tests below."""
    project.write("pytest.ini", "[pytest]\n")
    project.write("tests/conftest.py", PLAIN_ASYNC_DB_FIXTURE)
    project.write(
        "tests/api/test_x.py", "import pytest\n\npytestmark = pytest.mark.anyio\n\nasync def test_x(db):\n    pass\n"
    )
    assert project.codes("tests/conftest.py") == []


def test_collection_switched_off_with_dunder_test(project):
    project.write("pytest.ini", "[pytest]\n")
    project.write("test_x.py", "__test__ = False\n\n" + UNMARKED_ASYNC_TEST)
    project.write("test_y.py", "class TestX:\n    __test__ = False\n\n    async def test_m(self):\n        pass\n")
    assert project.codes("test_x.py") == []
    assert project.codes("test_y.py") == []


@pytest.mark.parametrize(
    ("signature", "uses_anyio"),
    [
        ("def test_x(anyio_backend):", True),
        ("async def test_x(client, *, anyio_backend):", True),
        ("def test_x(anyio_backend=None):", False),  # a default: pytest does not fill it
        ("def helper(anyio_backend, /):", False),  # positional-only: not a fixture request
        ("def test_x(backend):", False),
    ],
)
def test_a_def_requesting_anyio_backend_is_a_sign_of_anyio(signature: str, uses_anyio: bool) -> None:
    tree = ast.parse(f"{signature}\n    pass\n")
    assert module_facts(tree, "test_m.py").uses_anyio is uses_anyio
