import asyncio
import time


async def settle():
    await asyncio.sleep(0.2)


def probe():
    time.sleep(0.1)
    return True


READY = probe()


async def startup():
    async def step():
        await settle()
        return await asyncio.to_thread(probe)
    return await step()
