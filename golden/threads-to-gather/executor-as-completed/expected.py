import asyncio


def checksum(path):
    return len(path)


async def checksums(paths, report):
    total = 0
    semaphore = asyncio.Semaphore(4)

    async def limited(task):
        async with semaphore:
            return await task

    for size in await asyncio.gather(
        *(limited(asyncio.to_thread(checksum, p)) for p in paths),
    ):
        report(size)
        total += size
    return total
