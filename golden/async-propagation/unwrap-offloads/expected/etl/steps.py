import asyncio


async def extract(source):
    await asyncio.sleep(0.1)
    return [source]


async def transform(rows, factor=1):
    await asyncio.sleep(0.1)
    return rows * factor
