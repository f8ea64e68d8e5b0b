import requests


async def verbs(url, method):
    requests.get(url)
    requests.post(url, json={"a": 1})
    requests.put(url, json={"a": 1})
    requests.patch(url, json={"a": 1})
    requests.delete(url)
    requests.options(url)
    requests.request(method, url, params={"q": "x"})
