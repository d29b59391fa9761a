"""The pytest configuration is found as pytest 9 finds it, and bad files never crash."""

from __future__ import annotations

import pytest
from conftest import UNMARKED_ASYNC_TEST

from flake8_async_testing import pytest_config
from flake8_async_testing.project import PROJECT

config_for_file = PROJECT.config_for_file

AUTO_MODE_FILES = {
    "pytest.toml": '[pytest]\nasyncio_mode = "auto"\n',
    ".pytest.toml": '[pytest]\nasyncio_mode = "auto"\n',
    "pytest.ini": "[pytest]\nasyncio_mode = auto\n",
    ".pytest.ini": "[pytest]\nasyncio_mode = auto\n",
    "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n',
    "tox.ini": "[tox]\nenvlist = py311\n\n[pytest]\nasyncio_mode = auto\n",
    "setup.cfg": "[metadata]\nname = x\n\n[tool:pytest]\nasyncio_mode = auto\n",
}


@pytest.mark.parametrize("config_name", sorted(AUTO_MODE_FILES))
def test_each_kind_of_config_file_is_read(project, config_name):
    project.write(config_name, AUTO_MODE_FILES[config_name])
    project.write("tests/test_x.py", UNMARKED_ASYNC_TEST)
    assert config_for_file(str(project.root / "tests/test_x.py")).asyncio_mode == "auto"
    assert project.codes("tests/test_x.py") == []


def test_pytest9_native_toml_table(project):
    project.write("pyproject.toml", '[tool.pytest]\nasyncio_mode = "auto"\npython_files = ["check_*.py"]\n')
    project.write("check_x.py", UNMARKED_ASYNC_TEST)
    config = config_for_file(str(project.root / "check_x.py"))
    assert (config.asyncio_mode, config.python_files) == ("auto", ("check_*.py",))


def test_no_config_means_strict(project):
    project.write("tests/test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("tests/test_x.py") == ["ATS201"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("pytest.ini", "setup.cfg"),
        ("pytest.toml", "pyproject.toml"),
        ("pyproject.toml", "tox.ini"),
        ("tox.ini", "setup.cfg"),
    ],
)
def test_first_file_in_pytest_order_decides(project, first, second):
    strict = {
        "pytest.ini": "[pytest]\n",
        "pytest.toml": "[pytest]\n",
        "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "strict"\n',
        "tox.ini": "[pytest]\nasyncio_mode = strict\n",
    }
    project.write(first, strict[first])
    project.write(second, AUTO_MODE_FILES[second])
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == ["ATS201"]


def test_empty_pytest_ini_decides(project):
    project.write("pytest.ini", "")
    project.write("setup.cfg", AUTO_MODE_FILES["setup.cfg"])
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == ["ATS201"]


def test_files_without_a_pytest_section_are_passed_over(project):
    project.write("tox.ini", "[tox]\nenvlist = py311\n")
    project.write("setup.cfg", "[metadata]\nname = x\n")
    project.write("pyproject.toml", "[project]\nname = 'x'\n")
    project.write("../pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert config_for_file(str(project.root / "test_x.py")).asyncio_mode == "auto"


def test_nearest_folder_wins(project):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    project.write("sub/pytest.ini", "[pytest]\nasyncio_mode = strict\n")
    project.write("sub/test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("sub/test_x.py") == ["ATS201"]


@pytest.mark.parametrize(
    "addopts",
    ["--asyncio-mode=auto", "--asyncio-mode auto", "-o asyncio_mode=auto", "--override-ini=asyncio_mode=auto"],
)
def test_mode_in_addopts_overrides_the_ini_key(project, addopts):
    project.write("pytest.ini", f"[pytest]\nasyncio_mode = strict\naddopts = -ra {addopts}\n")
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == []


def test_addopts_as_a_toml_list(project):
    project.write(
        "pyproject.toml", '[tool.pytest.ini_options]\naddopts = ["-p", "no:asyncio", "--asyncio-mode=auto"]\n'
    )
    config = config_for_file(str(project.root / "test_x.py"))
    assert config.asyncio_disabled
    assert config.asyncio_mode == "auto"


def test_plugin_options_in_addopts(project):
    project.write("pytest.ini", "[pytest]\naddopts = -p anyio -pno:cacheprovider\n")
    assert config_for_file(str(project.root / "x.py")).plugins == ("anyio", "no:cacheprovider")


def test_anyio_and_trio_modes(project):
    project.write("pytest.ini", "[pytest]\nanyio_mode = auto\ntrio_mode = true\n")
    config = config_for_file(str(project.root / "x.py"))
    assert (config.anyio_mode, config.trio_mode) == ("auto", True)


def test_python_files_functions_classes(project):
    project.write(
        "pytest.ini",
        "[pytest]\npython_files = check_*.py\npython_functions = check_\npython_classes = *Suite\n",
    )
    project.write(
        "check_x.py",
        """\
        async def check_unmarked():
            pass

        async def test_not_collected_here():
            pass

        class ApiSuite:
            async def check_method(self):
                pass
        """,
    )
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("check_x.py") == ["ATS201", "ATS201"]
    assert project.codes("test_x.py") == []


BROKEN_FILES = {
    "pyproject.toml": "[tool.pytest.ini_options\nasyncio_mode = 'auto'\n",
    "pytest.toml": "[pytest]\nasyncio_mode = = 'auto'\n",
    "pytest.ini": "asyncio_mode = auto\n[pytest\n",
    "setup.cfg": "this is not an ini file\n[tool:pytest]\n",
    "tox.ini": "[pytest]\n\tbad continuation\n",
}


@pytest.mark.parametrize("config_name", sorted(BROKEN_FILES))
def test_broken_config_file_gives_one_warning_and_defaults(project, capsys, config_name):
    project.write(config_name, BROKEN_FILES[config_name])
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    project.write("test_y.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == ["ATS201"]
    assert project.codes("test_y.py") == ["ATS201"]
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert config_name in warnings[0]


@pytest.mark.parametrize(
    ("text", "field", "default"),
    [
        ("[pytest]\nasyncio_mode = bogus\n", "asyncio_mode", "strict"),
        ("[pytest]\nasyncio_mode = 3\n", "asyncio_mode", "strict"),
        ("[pytest]\nasyncio_default_test_loop_scope = galaxy\n", "asyncio_default_test_loop_scope", "function"),
        ("[pytest]\ntrio_mode = perhaps\n", "trio_mode", False),
    ],
)
def test_bad_values_warn_and_fall_back(project, capsys, text, field, default):
    project.write("pytest.ini", text)
    assert getattr(config_for_file(str(project.root / "x.py")), field) == default
    assert "warning" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text",
    [
        '[pytest]\nasyncio_mode = {table = "x"}\n',
        "[pytest]\nasyncio_mode = 3\n",
        "[pytest]\npython_files = {a = 1}\n",
        '[pytest]\naddopts = {a = 1}\ntrio_mode = "sometimes"\n',
        'pytest = "not a table"\n',
    ],
)
def test_wrong_toml_types_warn_and_fall_back(project, capsys, text):
    project.write("pytest.toml", text)
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == ["ATS201"]


def test_unreadable_config_file(project, capsys):
    path = project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    path.write_bytes(b"\xff\xfe[pytest]\n")
    project.write("test_x.py", UNMARKED_ASYNC_TEST)
    assert project.codes("test_x.py") == ["ATS201"]
    assert "pytest.ini" in capsys.readouterr().err


def test_each_folder_is_read_once(project, monkeypatch):
    project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    config_for_file(str(project.root / "a/test_x.py"))
    monkeypatch.setattr("flake8_async_testing.pytest_config._config_in_folder", lambda folder: 1 / 0)
    assert config_for_file(str(project.root / "a/test_y.py")).asyncio_mode == "auto"


def test_a_toml_file_without_a_toml_reader_warns_once_and_the_parents_configuration_decides(
    project, capsys, monkeypatch
):
    """Python 3.10 without tomli: the folder's pyproject.toml cannot be read, pytest.ini of the
    folder above still decides (auto mode: no ATS201), and the warning comes once."""
    monkeypatch.setattr(pytest_config, "tomllib", None)
    project.write("pytest.ini", "[pytest]\nasyncio_mode = auto\n")
    project.write("pkg/pyproject.toml", "[tool.pytest.ini_options]\nasyncio_mode = 'strict'\n")
    project.write("pkg/test_x.py", UNMARKED_ASYNC_TEST)
    project.write("pkg/test_y.py", UNMARKED_ASYNC_TEST)
    assert project.codes("pkg/test_x.py") == []
    assert project.codes("pkg/test_y.py") == []
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "tomli" in warnings[0] and "pyproject.toml" in warnings[0], warnings
