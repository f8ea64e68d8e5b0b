"""OAuth callback."""

from svc.settings import TOKEN_URL
from svc.http_clients import get_default_client


async def exchange(code):
    reply = await get_default_client().post(TOKEN_URL, data={"code": code}, timeout=10)
    return reply.json()
