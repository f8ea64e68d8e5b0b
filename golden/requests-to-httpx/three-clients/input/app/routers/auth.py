import requests

TOKEN_URL = "https://oauth2.example.com/token"


async def exchange_code(code, client_id, secret):
    response = requests.post(
        TOKEN_URL,
        data={"code": code, "client_id": client_id, "client_secret": secret},
        timeout=(3, 10),
    )
    response.raise_for_status()
    return response.json()["access_token"]


async def fetch_keys(url):
    return requests.get(url, timeout=10).json()
