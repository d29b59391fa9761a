"""The model is the same whatever `--select` says: every example file, checked one code at a
time, gives exactly the findings of that code in the all-codes run."""

from __future__ import annotations

import ast

import pytest
from annotations import example_files, modes_of

from flake8_async_testing.plugin import check
from flake8_async_testing.rules import ALL_CODES
from flake8_async_testing.settings import Settings

CASES = [
    pytest.param(path, mode, id=f"{path.stem}-{mode}")
    for path in example_files()
    for mode in modes_of(path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_one_code_at_a_time_finds_what_all_codes_find(path, mode):
    source = path.read_text(encoding="utf-8")
    settings = Settings((("asyncio_mode", mode), ("python_files", ("ATS*.py",))))
    everything = check(ast.parse(source), str(path), settings)
    differences = []
    for code in ALL_CODES:
        alone = check(ast.parse(source), str(path), settings, frozenset({code.code}))
        expected = [finding for finding in everything if finding[2].startswith(code.code + " ")]
        if alone != expected:
            differences.append((code.code, sorted(set(alone) ^ set(expected))))
    assert not differences, differences
