"""The semantic model asked directly, in the spirit of pyflakes' test_undefined_names.py: one
small program per binding form and scope kind, and what the model answers at a `probe(...)`
call in it (the walk hands the call to the model first, so the answer is the one every rule
would get there)."""

from __future__ import annotations

import ast
import textwrap
from typing import Any, Callable

import pytest

from flake8_async_testing.context import FileContext
from flake8_async_testing.scopes import PytestRole, ScopeKind
from flake8_async_testing.semantic_model import SemanticModel
from flake8_async_testing.settings import Settings
from flake8_async_testing.values import ASYNC, SYNC, UNKNOWN
from flake8_async_testing.walk import Walk

Question = Callable[[SemanticModel, ast.expr], Any]


def ask(source: str, question: Question, filename: str = "test_model.py") -> list[Any]:
    """The answers to `question(model, <argument>)` at each `probe(<argument>)`, in order."""
    tree = ast.parse(textwrap.dedent(source))
    model = SemanticModel(FileContext(tree, filename, Settings((("asyncio_mode", "auto"),))))
    answers: list[Any] = []

    class Probe:
        def enter_Call(self, node: ast.Call) -> None:
            if isinstance(node.func, ast.Name) and node.func.id == "probe":
                answers.append(question(model, node.args[0]))

    Walk([*model.visitors, Probe()]).run(tree)
    model.close()
    return answers


def bound_by(model: SemanticModel, expr: ast.expr) -> str | None:
    """The node type that binds the probed name, as a read of it here sees it; None if none."""
    binding = model.binding_of(expr.id)  # type: ignore[attr-defined]
    return type(binding.node).__name__ if binding is not None else None


def is_local(model: SemanticModel, expr: ast.expr) -> bool:
    return model.is_local(expr.id)  # type: ignore[attr-defined]


# -- every binding form binds in the frame Python binds it in ------------------------------------


@pytest.mark.parametrize(
    ("body", "binder"),
    [
        ("x = 1", "Assign"),
        ("x: int = 1", "AnnAssign"),
        ("x = 0\n    x += 1", "AugAssign"),
        ("a, (x, *b) = 1, (2, 3)", "Assign"),
        ("*a, x = [1, 2]", "Assign"),
        ("for x in range(2): pass", "For"),
        ("with open('f') as x: pass", "With"),
        ("import os as x", "alias"),
        ("from os import path as x", "alias"),
        ("import x.y", "alias"),
        ("def x(): pass", "FunctionDef"),
        ("class x: pass", "ClassDef"),
        ("try:\n        pass\n    except ValueError as x:\n        probe(x)", "ExceptHandler"),
        ("match 1:\n        case x:\n            pass", "MatchAs"),
        ("match [1]:\n        case [*x]:\n            pass", "MatchStar"),
        ("match {}:\n        case {**x}:\n            pass", "MatchMapping"),
        ("(x := 1)", "NamedExpr"),
        ("x = 1\n    del x", "Delete"),
    ],
)
def test_each_binding_form_binds_the_name_in_the_function(body, binder):
    probes = "" if "probe(x)" in body else "\n    probe(x)"
    source = f"def helper(param):\n    {body}{probes}\n"
    assert ask(source, bound_by)[-1] == binder
    assert ask(source, is_local)[-1] is True


@pytest.mark.parametrize(
    ("statement", "binder"), [("async for x in g():", "AsyncFor"), ("async with g() as x:", "AsyncWith")]
)
def test_async_loop_and_with_targets_bind(statement, binder):
    assert ask(f"async def f():\n    {statement}\n        probe(x)\n", bound_by) == [binder]


def test_parameters_of_every_kind_bind_in_the_function():
    source = "def f(a, /, b, *c, d, **e):\n    probe(a); probe(b); probe(c); probe(d); probe(e)\n"
    assert ask(source, bound_by) == ["arg"] * 5


def test_a_lambdas_parameters_bind_in_the_lambda_only():
    assert ask("def f():\n    g = lambda x: probe(x)\n    probe(x)\n", is_local) == [True, False]
    assert ask("f = lambda x: probe(x)\n", bound_by) == ["arg"]


# -- scopes ----------------------------------------------------------------------------------


def test_a_comprehension_variable_stays_in_the_comprehension():
    source = "def f(items):\n    [probe(i) for i in items]\n    probe(i)\n"
    assert ask(source, is_local) == [True, False]


def test_a_walrus_in_a_comprehension_binds_in_the_enclosing_function():
    source = "def f(items):\n    [(y := i) for i in items]\n    probe(y)\n"
    assert ask(source, bound_by) == ["NamedExpr"]
    assert ask(source, lambda model, expr: model.statement_frame.kind) == [ScopeKind.FUNCTION]


def test_methods_do_not_see_names_of_the_class_body():
    source = "class C:\n    x = 1\n    probe(x)\n\n    def m(self):\n        probe(x)\n"
    assert ask(source, is_local) == [True, False]


def test_global_and_nonlocal_names_hold_nothing_followed():
    source = (
        "from unittest.mock import AsyncMock\n"
        "def f():\n    global m\n    m = AsyncMock()\n    probe(m)\n"
        "def g():\n    m = AsyncMock()\n    def h():\n        nonlocal m\n        m = AsyncMock()\n        probe(m)\n"
    )
    assert ask(source, lambda model, expr: model.value_of(expr)) == [None, None]


def test_module_level_names_come_from_the_modules_facts_where_the_walk_has_not_bound_them():
    source = "import httpx\n\ndef f():\n    probe(client)\n\nclient = httpx.AsyncClient()\n"
    assert ask(source, lambda model, expr: model.type_of(expr)) == ["httpx.AsyncClient"]


# -- frames: kinds and pytest roles ------------------------------------------------------------


def frame_facts(model: SemanticModel, expr: ast.expr) -> tuple[ScopeKind, PytestRole, bool]:
    frame = model.frame
    return frame.kind, frame.pytest_role, frame.is_async


def test_frames_know_their_kind_role_and_whether_they_can_await():
    source = """
        import pytest

        probe(0)

        @pytest.fixture
        async def client():
            probe(0)
            yield [probe(i) for i in range(1)]

        def helper():
            probe(0)

        class TestX:
            probe(0)

            def test_sync(self):
                probe(0)
                return lambda: probe(0)

        async def test_async(client):
            probe(0)
        """
    assert ask(source, frame_facts) == [
        (ScopeKind.MODULE, PytestRole.NONE, False),
        (ScopeKind.FUNCTION, PytestRole.FIXTURE, True),
        (ScopeKind.COMPREHENSION, PytestRole.FIXTURE, True),  # the role of the code around it
        (ScopeKind.FUNCTION, PytestRole.NONE, False),
        (ScopeKind.CLASS, PytestRole.NONE, False),
        (ScopeKind.FUNCTION, PytestRole.TEST, False),
        (ScopeKind.LAMBDA, PytestRole.NONE, False),
        (ScopeKind.FUNCTION, PytestRole.TEST, True),
    ]


# -- names resolved ------------------------------------------------------------------------------


def qualified(model: SemanticModel, expr: ast.expr) -> str | None:
    return model.qualified_name(expr)


def test_qualified_names_through_module_imports_function_imports_and_shadowing():
    source = """
        import pytest as pt
        from unittest import mock

        probe(pt.mark.asyncio)

        def f():
            from unittest import mock as m
            probe(m.AsyncMock)
            probe(mock.patch)

        def g(pt):
            probe(pt.mark)
        """
    assert ask(source, qualified) == ["pytest.mark.asyncio", "unittest.mock.AsyncMock", "unittest.mock.patch", None]


# -- values ---------------------------------------------------------------------------------------


def test_values_of_library_objects_mocks_and_coroutines():
    source = """
        import httpx
        from unittest.mock import AsyncMock, MagicMock

        async def fetch():
            return 1

        async def test_x():
            client = httpx.AsyncClient()
            probe(client)
            mock = MagicMock()
            probe(mock)
            probe(AsyncMock())
            probe(fetch())
            async with httpx.AsyncClient() as entered:
                probe(entered)
        """
    answers = ask(source, lambda model, expr: (model.type_of(expr), model.mock_kind(expr)))
    assert answers == [
        ("httpx.AsyncClient", None),
        (None, (SYNC, "MagicMock")),
        ("unittest.mock.AsyncMock", (ASYNC, "AsyncMock")),
        (None, None),
        ("httpx.AsyncClient", None),
    ]
    assert ask(source, lambda model, expr: model.coroutine_callee(expr) if isinstance(expr, ast.Call) else None) == [
        None,
        None,
        None,
        "fetch",
        None,
    ]


def test_what_code_sets_on_an_object_is_followed_and_a_reconfigured_mock_is_not():
    source = """
        from unittest.mock import AsyncMock, Mock

        async def test_x(service):
            service.fetch = AsyncMock()
            probe(service.fetch)
            mock = Mock()
            probe(mock.child)
            mock.configure_mock(child=AsyncMock())
            probe(mock.child)
        """
    assert ask(source, lambda model, expr: model.mock_kind(expr)) == [
        (ASYNC, "AsyncMock"),
        (SYNC, "Mock"),
        (UNKNOWN, "Mock"),  # no longer followed: whatever configure_mock made `child`
    ]
