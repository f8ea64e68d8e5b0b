"""Webhook delivery."""

import requests


async def notify(url, payload):
    r = requests.post(url, json=payload, timeout=10)
    return r.ok
