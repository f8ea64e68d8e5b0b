import json

import requests

from http_clients import get_default_client

BODY = b"payload"


async def upload(url, payload, obj):
    await get_default_client().post(url, content="text")
    await get_default_client().post(url, content=b"\x00\x01")
    await get_default_client().post(url, content=json.dumps(obj))
    await get_default_client().post(url, content=f"id={obj}")
    await get_default_client().post(url, content="x".encode())
    await get_default_client().post(url, content=BODY)
    await get_default_client().post(url, data={"form": "value"})
    await get_default_client().put(url, data=dict(a=1))
    requests.post(url, data=payload)
    requests.post(url, data=[("a", "1")])
