from http_clients import get_default_client


async def sync_user(url, user):
    current = (await get_default_client().get(url)).json()
    await get_default_client().post(url, json={**current, **user})
