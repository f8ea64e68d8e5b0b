import asyncio


class Cache:
    async def fill(self, key):
        await asyncio.sleep(0.1)
        return key


class TieredCache(Cache):
    async def fill(self, key):
        await asyncio.sleep(0.05)
        return await super().fill(key)

    async def get(self, key):
        return await self.fill(key)
