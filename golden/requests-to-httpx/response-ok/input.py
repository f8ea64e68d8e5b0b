import requests


async def checks(url, expected):
    r = requests.get(url)
    if r.ok:
        pass
    if not r.ok:
        pass
    while r.ok and expected:
        break
    assert r.ok, "failed"
    same = r.ok == expected
    flag = r.ok
    return requests.get(url).ok, same, flag
