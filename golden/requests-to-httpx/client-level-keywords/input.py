import requests


async def calls(url, proxies, log):
    requests.get(url, verify=False)
    requests.get(url, verify="/etc/ca.pem")
    requests.get(url, cert=("c.pem", "k.pem"))
    requests.get(url, proxies=proxies)
    requests.get(url, hooks={"response": log})
    requests.get(url, verify=True)
    requests.get(url, proxies=None)
