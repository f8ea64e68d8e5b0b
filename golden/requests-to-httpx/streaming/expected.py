import requests

from http_clients import get_default_client


async def download(url, out):
    r = requests.get(url, stream=True)
    for chunk in r.iter_content(8192):
        out.write(chunk)


async def lines(url):
    r = requests.get(url)
    return list(r.iter_lines())


async def raw(url):
    return requests.get(url).raw.read()


async def plain(url):
    return (await get_default_client().get(url)).content
