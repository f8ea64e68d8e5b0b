import httpx2
from ..http_clients import get_auth_client

TOKEN_URL = "https://oauth2.example.com/token"


async def exchange_code(code, client_id, secret):
    response = await get_auth_client().post(
        TOKEN_URL,
        data={"code": code, "client_id": client_id, "client_secret": secret},
        timeout=httpx2.Timeout(10, connect=3),
    )
    response.raise_for_status()
    return response.json()["access_token"]


async def fetch_keys(url):
    return (await get_auth_client().get(url, timeout=10)).json()
