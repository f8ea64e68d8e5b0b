import requests


async def check(url, log):
    r = requests.get(url)
    try:
        r.raise_for_status()
    except requests.HTTPError as e:
        log(e.response.status_code)
    try:
        return r.json()
    except requests.exceptions.JSONDecodeError:
        return None


async def later(url):
    r = requests.get(url)
    try:
        r.raise_for_status()
    except requests.HTTPError:
        return False
    return True


async def parse(url):
    try:
        r = requests.get(url)
        return r.json()
    except requests.RequestException:
        return None
