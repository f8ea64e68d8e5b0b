from http_clients import get_client


async def verbs(url, method):
    await get_client("default").get(url)
    await get_client("default").post(url, json={"a": 1})
    await get_client("default").put(url, json={"a": 1})
    await get_client("default").patch(url, json={"a": 1})
    await get_client("default").delete(url)
    await get_client("default").options(url)
    await get_client("default").request(method, url, params={"q": "x"})
