import requests


async def calls(url, q, body, doc):
    requests.get(url, q)
    requests.post(url, {"a": "b"}, doc)
    requests.post(url, None, doc)
    requests.put(url, {"a": "b"})
    requests.patch(url, "text")
