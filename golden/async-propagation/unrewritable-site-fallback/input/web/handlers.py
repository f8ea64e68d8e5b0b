from web.client import download, status


async def fetch(url):
    if status(url) != 200:
        return None
    return download(url)
