import asyncio


def price(item):
    return len(item)


async def total(items, ledger):
    semaphore = asyncio.Semaphore(2)

    async def limited(task):
        async with semaphore:
            return await task

    for result_2 in await asyncio.gather(
        *(limited(asyncio.to_thread(price, item)) for item in items),
    ):
        ledger.append(result_2 * 2)
    return ledger
