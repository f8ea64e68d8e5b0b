import asyncio
from concurrent.futures import ThreadPoolExecutor

POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="storage")


def upload(blob):
    return len(blob)


def merge(a, b):
    return a + b


class Transcriber:
    def __init__(self):
        self.executor = ThreadPoolExecutor(max_workers=2)

    async def run(self, chunks):
        first = await asyncio.wrap_future(self.executor.submit(upload, chunks[0]))
        sizes = [size for size in await asyncio.gather(*(asyncio.wrap_future(self.executor.submit(upload, item)) for item in chunks))]
        return first, sizes


async def store_all(blobs, extra):
    sizes = await asyncio.gather(
        *(asyncio.wrap_future(POOL.submit(upload, item)) for item in blobs)
    )
    for total in await asyncio.gather(*(asyncio.wrap_future(POOL.submit(merge, item1, item2)) for item1, item2 in zip(blobs, extra))):
        print(total)
    return sizes, (await asyncio.gather(*(asyncio.wrap_future(POOL.submit(upload, item)) for item in blobs)))[0]


def sync_store(blobs):
    return list(POOL.map(upload, blobs))
