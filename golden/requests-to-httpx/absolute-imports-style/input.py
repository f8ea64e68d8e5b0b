"""OAuth callback."""

import requests

from svc.settings import TOKEN_URL


async def exchange(code):
    reply = requests.post(TOKEN_URL, data={"code": code}, timeout=10)
    return reply.json()
