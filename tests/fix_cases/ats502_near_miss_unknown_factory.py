from unittest.mock import patch


async def test_x(monkeypatch):
    with patch("module.fetch", new=make()): pass
