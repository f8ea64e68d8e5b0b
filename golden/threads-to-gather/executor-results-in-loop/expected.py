import asyncio


def price(item):
    return len(item)


async def total(items, ledger):
    semaphore = asyncio.Semaphore(2)

    async def limited(task):
        async with semaphore:
            return await task

    for result in await asyncio.gather(
        *(limited(asyncio.to_thread(price, item)) for item in items),
    ):
        ledger.append(result * 2)
    return ledger
