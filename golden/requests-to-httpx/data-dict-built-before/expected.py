from .http_clients import get_default_client


async def token(code):
    payload = {
        "code": code,
        "grant_type": "authorization_code",
    }
    reply = await get_default_client().post(
        "https://auth.example/token", data=payload, timeout=10
    )
    return reply.json()
