import asyncio as aio
from concurrent.futures import ThreadPoolExecutor


def copy(src, dst):
    return src, dst


async def copy_all(sources, targets):
    with ThreadPoolExecutor() as pool:
        for pair in pool.map(copy, sources, targets):
            print(pair)
    await aio.sleep(0)
