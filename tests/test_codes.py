"""A code's message template reads its own messages back: what the fix command and the tests
read a finding's arguments with."""

from __future__ import annotations

import pytest

from flake8_async_testing.rules import ALL_CODES
from flake8_async_testing.rules.event_loop import ATS405, IN_A_COROUTINE
from flake8_async_testing.rules.missing_await import ATS101


@pytest.mark.parametrize("code", ALL_CODES, ids=lambda code: code.code)
def test_every_message_reads_back_its_arguments(code):
    arguments = {name: f"value of {name}" for name in code.placeholders}
    text = code.format(**arguments).partition(" ")[2]
    assert code.parse(text) == arguments


def test_a_message_of_another_code_or_with_an_empty_argument_does_not_read():
    assert ATS405.parse(ATS101.format(call="f", basis="b", how="h").partition(" ")[2]) is None
    assert ATS405.parse(ATS405.format(why=IN_A_COROUTINE).partition(" ")[2]) == {"why": IN_A_COROUTINE}
    assert ATS101.parse(ATS101.format(call="", basis="b", how="h").partition(" ")[2]) is None
