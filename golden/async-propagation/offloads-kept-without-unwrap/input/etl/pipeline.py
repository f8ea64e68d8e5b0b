import asyncio
from concurrent.futures import ThreadPoolExecutor

from etl.steps import extract, transform

POOL = ThreadPoolExecutor(max_workers=4)


async def run(source):
    loop = asyncio.get_running_loop()
    rows = await asyncio.to_thread(extract, source)
    return await loop.run_in_executor(POOL, transform, rows, 2)
