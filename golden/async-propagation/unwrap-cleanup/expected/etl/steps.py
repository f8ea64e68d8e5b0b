import asyncio


async def _sync_load(source):
    await asyncio.sleep(0.1)
    return [source]


async def transform(rows):
    await asyncio.sleep(0.1)
    return rows * 2
