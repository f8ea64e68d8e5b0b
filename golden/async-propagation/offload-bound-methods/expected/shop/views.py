import asyncio

from shop.repo import Repo

REPO = Repo(0.1)


async def show(key):
    value = await asyncio.to_thread(REPO.fetch, key)
    await asyncio.to_thread(Repo.backoff, 1)
    return value
