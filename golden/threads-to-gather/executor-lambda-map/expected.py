import asyncio
from concurrent.futures import ThreadPoolExecutor


class Cache:
    def __init__(self, store):
        self.store = store

    async def load(self, keys):
        semaphore = asyncio.Semaphore(8)

        async def limited(task):
            async with semaphore:
                return await task

        results = await asyncio.gather(
            *(
                limited(asyncio.to_thread(lambda k: self.store.get(k), item))
                for item in keys
            ),
        )
        return dict(zip(keys, results))

    async def refresh(self, keys):
        semaphore = asyncio.Semaphore(8)

        async def limited(task):
            async with semaphore:
                return await task

        return await asyncio.gather(
            *(limited(asyncio.to_thread(self.store.refresh, item)) for item in keys),
        )

    async def slow(self, keys):
        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(self.store.refresh, keys, timeout=5))
