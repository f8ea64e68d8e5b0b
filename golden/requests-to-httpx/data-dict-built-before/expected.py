from .http_clients import get_client


async def token(code):
    payload = {
        "code": code,
        "grant_type": "authorization_code",
    }
    reply = await get_client("default").post("https://auth.example/token", data=payload, timeout=10)
    return reply.json()
