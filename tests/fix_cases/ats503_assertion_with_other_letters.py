async def f(m):
    m.assert_ｃalled_once()
