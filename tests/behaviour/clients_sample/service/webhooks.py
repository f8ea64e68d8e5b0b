"""Signed webhooks: the signature covers the JSON the receiver gets, byte for byte."""

import hashlib
import hmac
import json

import requests


def sign(secret: bytes, event: dict) -> str:
    return "sha256=" + hmac.new(secret, json.dumps(event).encode(), hashlib.sha256).hexdigest()


async def deliver(url, secret, event):
    response = requests.post(url, json=event, headers={"X-Signature": sign(secret, event)}, timeout=5)
    return response.status_code, response.json()
