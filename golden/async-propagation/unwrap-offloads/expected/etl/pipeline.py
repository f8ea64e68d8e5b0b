from concurrent.futures import ThreadPoolExecutor

from etl.steps import extract, transform

POOL = ThreadPoolExecutor(max_workers=4)


async def run(source):
    rows = await extract(source)
    return await transform(rows, 2)
