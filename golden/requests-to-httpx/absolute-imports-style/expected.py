"""OAuth callback."""

from svc.http_clients import get_default_client
from svc.settings import TOKEN_URL


async def exchange(code):
    reply = await get_default_client().post(TOKEN_URL, data={"code": code}, timeout=10)
    return reply.json()
