import requests


async def probe(url, follow):
    a = requests.get(url, allow_redirects=False)
    b = requests.get(url, allow_redirects=follow)
    c = requests.head(url)
    d = requests.head(url, allow_redirects=True)
    return a.status_code, b.status_code, c.status_code, d.status_code
