"""The flake8 entry: which rules are built, and the one walk that drives them."""

from __future__ import annotations

import ast

import pytest
from flake8.options.parse_args import parse_args

from flake8_async_testing import plugin
from flake8_async_testing.context import FileContext
from flake8_async_testing.plugin import _enabled_codes, check
from flake8_async_testing.semantic_model import SemanticModel
from flake8_async_testing.settings import Settings
from flake8_async_testing.walk import Walk


def enabled_for(*flake8_args):
    _, options = parse_args([*flake8_args, "x.py"])
    return _enabled_codes(options)


def test_every_code_is_on_by_default():
    assert enabled_for() == plugin.ALL_CODE_NAMES


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--select", "E"], set()),
        (["--extend-ignore", "ATS201"], plugin.ALL_CODE_NAMES - {"ATS201"}),
        (["--ignore", "ATS2"], {code for code in plugin.ALL_CODE_NAMES if not code.startswith("ATS2")}),
        (["--select", "E", "--extend-select", "ATS203"], {"ATS203"}),
    ],
)
def test_deselected_codes_are_not_enabled(args, expected):
    assert enabled_for(*args) == expected


def test_no_family_is_built_when_its_codes_are_off(monkeypatch):
    monkeypatch.setattr(plugin, "FileContext", lambda *args: pytest.fail("context built for no rule"))
    assert check(ast.parse("async def test_x(): pass"), "test_x.py", enabled=frozenset()) == []


def test_disabled_code_in_an_enabled_family_is_not_reported(tmp_path):
    source = "import pytest\n\nasync def test_x():\n    pass\n\n@pytest.mark.asyncio\ndef test_y():\n    pass\n"
    path = tmp_path / "test_x.py"
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    codes = [message[:6] for _, _, message in check(ast.parse(source), str(path), enabled=frozenset({"ATS203"}))]
    assert codes == ["ATS203"]


def test_the_walk_visits_every_node_once_in_field_order():
    tree = ast.parse("def f(a):\n    return [x for x in a if x]\n\nclass C:\n    y = f(1)\n")
    seen = []

    class Recorder:
        def enter_Name(self, node):
            seen.append(node.id)

    Walk([Recorder()]).run(tree)
    # Field order: a comprehension's element comes before its `for` clause.
    assert seen == ["x", "x", "a", "x", "y", "f"]


def test_leave_handlers_see_yields_of_their_own_function_only(tmp_path):
    source = "async def outer():\n    def inner():\n        yield\n\nasync def gen():\n    yield 1\n"
    tree = ast.parse(source)
    model = SemanticModel(FileContext(tree, str(tmp_path / "test_x.py"), Settings()))
    left = {}

    class Recorder:
        def leave_AsyncFunctionDef(self, node):
            left[node.name] = model.frame.has_yield

    Walk([*model.visitors, Recorder()]).run(tree)
    assert left == {"outer": False, "gen": True}


def test_deeply_nested_code_does_not_hit_the_recursion_limit():
    depth = 5000
    tree = ast.parse("x = 1")
    expression = ast.Constant(0)
    for _ in range(depth):
        expression = ast.BinOp(expression, ast.Add(), ast.Constant(1))
    tree.body[0].value = expression
    counted = []

    class Counter:
        def enter_BinOp(self, node):
            counted.append(node)

    Walk([Counter()]).run(tree)
    assert len(counted) == depth


def test_checking_a_file_leaves_no_reference_cycles():
    """Each file's objects are freed by reference counting: a cycle per file makes the garbage
    collector walk every cached project module again and again in a long flake8 run."""
    import gc
    from pathlib import Path

    examples = sorted((Path(__file__).parent / "examples").glob("ATS*.py"))
    trees = [(ast.parse(path.read_text(encoding="utf-8")), str(path)) for path in examples]
    for tree, path in trees:
        check(tree, path)  # fill the per-process caches first
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for tree, path in trees:
            check(tree, path)
        found = gc.collect()
        kinds = sorted({type(o).__name__ for o in gc.garbage})[:10]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert found == 0, kinds
