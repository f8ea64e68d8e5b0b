import asyncio


class Repo:
    def __init__(self, delay):
        self.delay = delay

    async def fetch(self, key):
        await asyncio.sleep(self.delay)
        return key.upper()

    @staticmethod
    async def backoff(attempt):
        await asyncio.sleep(2 ** attempt)

    async def get(self, key):
        await self.backoff(0)
        return await self.fetch(key)
