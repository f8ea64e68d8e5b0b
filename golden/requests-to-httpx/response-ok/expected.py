from http_clients import get_default_client


async def checks(url, expected):
    r = await get_default_client().get(url)
    if not r.is_error:
        pass
    if r.is_error:
        pass
    while not r.is_error and expected:
        break
    assert not r.is_error, "failed"
    same = (not r.is_error) == expected
    flag = not r.is_error
    return not (await get_default_client().get(url)).is_error, same, flag
