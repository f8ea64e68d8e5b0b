import requests

TOKEN_URL = "https://id.example.test/oauth/token"


async def callback(code: str, verifier: str):
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "extra": "{not a field}",
        "scope": {"read": True}["read"] and "profile",
    }
    reply = requests.post(
        TOKEN_URL,
        headers={"Accept": "application/json"},
        data=form,
    )
    reply.raise_for_status()
    return reply.json()


def encode(fields):
    return "&".join(f"{k}={v}" for k, v in fields.items())


async def revoke(token: str):
    requests.post(TOKEN_URL + "/revoke", data=encode({"token": token, "hint": "{access}"}), timeout=5)
