import asyncio


class Syncer:
    async def push(self, item):
        return item

    def pull(self, item, out, timeout=1):
        out[item] = timeout

    async def sync(self, items):
        out = {}
        await asyncio.gather(
            *(asyncio.to_thread(self.pull, item, out, timeout=5) for item in items),
        )
        await asyncio.gather(*(self.push(i) for i in items))
        return out
