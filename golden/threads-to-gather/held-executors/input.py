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
        first = self.executor.submit(upload, chunks[0]).result()
        sizes = [size for size in self.executor.map(upload, chunks)]
        return first, sizes


async def store_all(blobs, extra):
    sizes = list(POOL.map(upload, blobs))
    for total in POOL.map(merge, blobs, extra):
        print(total)
    return sizes, list(POOL.map(upload, blobs))[0]


def sync_store(blobs):
    return list(POOL.map(upload, blobs))
