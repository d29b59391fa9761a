from unittest.mock import patch


async def test_x(monkeypatch):
    monkeypatch.setattr("module.fetch")
