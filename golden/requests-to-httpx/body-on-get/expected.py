from http_clients import get_client


async def search(url, query):
    hits = (await get_client("default").request("GET", url, json=query)).json()
    await get_client("default").request("DELETE", url, json={"ids": [1, 2]})
    return hits


async def no_body(url):
    return (await get_client("default").get(url)).status_code
