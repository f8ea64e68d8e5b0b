from http_clients import get_client


async def calls(url, q, body, doc):
    await get_client("default").get(url, params=q)
    await get_client("default").post(url, data={"a": "b"}, json=doc)
    await get_client("default").post(url, json=doc)
    await get_client("default").put(url, data={"a": "b"})
    await get_client("default").patch(url, content="text")
