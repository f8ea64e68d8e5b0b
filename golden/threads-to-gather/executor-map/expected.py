import asyncio

import requests


def status(url):
    return requests.get(url, timeout=10).status_code


async def statuses(urls):
    semaphore = asyncio.Semaphore(4)

    async def limited(task):
        async with semaphore:
            return await task

    codes = await asyncio.gather(
        *(limited(asyncio.to_thread(status, item)) for item in urls),
    )
    return dict(zip(urls, codes))
