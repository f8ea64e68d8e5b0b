import json

import requests
from http_clients import get_client

BODY = b"payload"


async def upload(url, payload, obj):
    await get_client("default").post(url, content="text")
    await get_client("default").post(url, content=b"\x00\x01")
    await get_client("default").post(url, content=json.dumps(obj))
    await get_client("default").post(url, content=f"id={obj}")
    await get_client("default").post(url, content="x".encode())
    await get_client("default").post(url, content=BODY)
    await get_client("default").post(url, data={"form": "value"})
    await get_client("default").put(url, data=dict(a=1))
    requests.post(url, data=payload)
    requests.post(url, data=[("a", "1")])
