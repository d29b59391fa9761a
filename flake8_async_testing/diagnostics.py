"""One warning on stderr per problem per process: bad config must be seen, never repeated
for every file flake8 checks, and never a crash."""

from __future__ import annotations

import sys

_already_warned: set[str] = set()


def warn_once(message: str) -> None:
    if message in _already_warned:
        return
    _already_warned.add(message)
    print(f"flake8-async-testing: warning: {message}", file=sys.stderr)
