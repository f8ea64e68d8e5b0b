import asyncio
from concurrent.futures import ThreadPoolExecutor

from etl.steps import _sync_load, transform

_POOL = None
STORAGE = ThreadPoolExecutor(max_workers=2)


def get_pool():
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=2)
    return _POOL


def shutdown():
    STORAGE.shutdown(wait=True)


async def run(source):
    loop = asyncio.get_running_loop()
    rows = await loop.run_in_executor(get_pool(), _sync_load, source)
    return await loop.run_in_executor(STORAGE, transform, rows)
