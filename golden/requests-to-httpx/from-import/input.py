from requests import get, post


async def sync_user(url, user):
    current = get(url).json()
    post(url, json={**current, **user})
