import asyncio
from concurrent.futures import ThreadPoolExecutor

from etl.steps import extract, transform

POOL = ThreadPoolExecutor(max_workers=4)


async def run(source):
    loop = asyncio.get_running_loop()
    rows = await extract(source)
    return await transform(rows, 2)
