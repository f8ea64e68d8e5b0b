import requests


async def token(code):
    payload = {
        "code": code,
        "grant_type": "authorization_code",
    }
    reply = requests.post("https://auth.example/token", data=payload, timeout=10)
    return reply.json()
