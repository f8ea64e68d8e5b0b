from http_clients import get_default_client


async def search(url, query):
    hits = (await get_default_client().request("GET", url, json=query)).json()
    await get_default_client().request("DELETE", url, json={"ids": [1, 2]})
    return hits


async def no_body(url):
    return (await get_default_client().get(url)).status_code
