async def test_x(
    event_loop  # the loop
    , tmp_path,
):
    pass
