"""OAuth callback."""

from svc.settings import TOKEN_URL
from svc.http_clients import get_client


async def exchange(code):
    reply = await get_client("default").post(TOKEN_URL, data={"code": code}, timeout=10)
    return reply.json()
