import json

import requests

BODY = b"payload"


async def upload(url, payload, obj):
    requests.post(url, data="text")
    requests.post(url, data=b"\x00\x01")
    requests.post(url, data=json.dumps(obj))
    requests.post(url, data=f"id={obj}")
    requests.post(url, data="x".encode())
    requests.post(url, data=BODY)
    requests.post(url, data={"form": "value"})
    requests.put(url, data=dict(a=1))
    requests.post(url, data=payload)
    requests.post(url, data=[("a", "1")])
