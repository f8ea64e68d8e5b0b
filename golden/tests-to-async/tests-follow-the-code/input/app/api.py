import os

import requests

API = os.environ.get("API_URL", "http://127.0.0.1:9")


def fetch_user(user_id):
    response = requests.get(f"{API}/users/{user_id}", timeout=5)
    response.raise_for_status()
    return response.json()


def post_event(name):
    response = requests.post(f"{API}/events", json={"name": name}, timeout=5)
    return response.status_code


async def profile(user_id):
    return {"user": fetch_user(user_id)}


async def track(name):
    return post_event(name)
