import asyncio


async def load(key):
    await asyncio.sleep(0.1)
    return {"key": key}
