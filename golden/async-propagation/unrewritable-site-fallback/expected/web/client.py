import requests

from .http_clients import get_default_client


def download(url):
    response = requests.get(url, stream=True, timeout=5)
    return b"".join(response.iter_content(1024))


async def status(url):
    return (await get_default_client().head(url, timeout=5, follow_redirects=False)).status_code
