def test_x(event_loop):
    event_loop.run_until_complete(None)
