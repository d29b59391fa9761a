import pytest


async def fetch():
    return 1


from unittest.mock import Mock, patch

SHARED = Mock()


@pytest.mark.asyncio
async def test_x(monkeypatch):
    monkeypatch.setattr("tests.test_x.fetch", SHARED)
