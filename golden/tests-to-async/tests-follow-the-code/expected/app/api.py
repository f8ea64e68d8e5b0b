import os

from .http_clients import get_default_client

API = os.environ.get("API_URL", "http://127.0.0.1:9")


async def fetch_user(user_id):
    response = await get_default_client().get(f"{API}/users/{user_id}", timeout=5)
    response.raise_for_status()
    return response.json()


async def post_event(name):
    response = await get_default_client().post(
        f"{API}/events", json={"name": name}, timeout=5
    )
    return response.status_code


async def profile(user_id):
    return {"user": await fetch_user(user_id)}


async def track(name):
    return await post_event(name)
