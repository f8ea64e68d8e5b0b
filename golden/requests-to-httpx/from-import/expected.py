from http_clients import get_client


async def sync_user(url, user):
    current = (await get_client("default").get(url)).json()
    await get_client("default").post(url, json={**current, **user})
