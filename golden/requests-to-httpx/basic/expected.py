"""Webhook delivery."""

from .http_clients import get_default_client


async def notify(url, payload):
    r = await get_default_client().post(url, json=payload, timeout=10)
    return not r.is_error
