from .http_clients import get_default_client


async def get_user(user_id):
    response = await get_default_client().get(
        f"https://api.example.com/users/{user_id}", timeout=5
    )
    response.raise_for_status()
    return response.json()
