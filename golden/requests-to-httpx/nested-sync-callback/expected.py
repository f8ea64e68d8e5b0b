import requests


async def handler(url, loop):
    def fetch():
        return requests.get(url).text

    later = lambda: requests.get(url)
    text = await loop.run_in_executor(None, fetch)
    return text, later
