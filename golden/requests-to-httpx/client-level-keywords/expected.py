import requests

from http_clients import get_default_client


async def calls(url, proxies, log):
    requests.get(url, verify=False)
    requests.get(url, verify="/etc/ca.pem")
    requests.get(url, cert=("c.pem", "k.pem"))
    requests.get(url, proxies=proxies)
    requests.get(url, hooks={"response": log})
    await get_default_client().get(url)
    await get_default_client().get(url)
