"""Webhook delivery."""

from .http_clients import get_client


async def notify(url, payload):
    r = await get_client("default").post(url, json=payload, timeout=10)
    return not r.is_error
