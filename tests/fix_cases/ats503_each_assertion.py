async def f(m):
    m.child.assert_called(1)
    m.child.assert_called_once(1)
    m.child.assert_called_with(1)
    m.child.assert_called_once_with(1)
    m.child.assert_any_call(1)
    m.child.assert_has_calls(1)
