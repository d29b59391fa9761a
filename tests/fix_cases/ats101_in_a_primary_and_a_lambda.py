async def f():
    g().x
    (lambda: g())
