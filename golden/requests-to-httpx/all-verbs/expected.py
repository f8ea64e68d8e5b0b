from http_clients import get_default_client


async def verbs(url, method):
    await get_default_client().get(url)
    await get_default_client().post(url, json={"a": 1})
    await get_default_client().put(url, json={"a": 1})
    await get_default_client().patch(url, json={"a": 1})
    await get_default_client().delete(url)
    await get_default_client().options(url)
    await get_default_client().request(method, url, params={"q": "x"})
