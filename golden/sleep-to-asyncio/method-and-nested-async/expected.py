import asyncio


class Poller:
    async def poll(self):
        await asyncio.sleep(self.interval)

    def make(self):
        async def inner():
            await asyncio.sleep(1)

        return inner
