import asyncio

from web.client import download, status


async def fetch(url):
    if await status(url) != 200:
        return None
    return await asyncio.to_thread(download, url)
