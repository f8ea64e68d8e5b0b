import asyncio


async def fetch(url):
    await asyncio.sleep(0.05)
    return url
