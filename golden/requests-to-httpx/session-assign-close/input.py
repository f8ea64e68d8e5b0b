import requests


async def ping(url):
    s = requests.Session()
    try:
        r = s.head(url)
        return r.status_code
    finally:
        s.close()
