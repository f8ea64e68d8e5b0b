from http_clients import get_default_client


async def calls(url, q, body, doc):
    await get_default_client().get(url, params=q)
    await get_default_client().post(url, data={"a": "b"}, json=doc)
    await get_default_client().post(url, json=doc)
    await get_default_client().put(url, data={"a": "b"})
    await get_default_client().patch(url, content="text")
