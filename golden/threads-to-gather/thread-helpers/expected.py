import asyncio
import logging


def fetch(url, results):
    results[url] = len(url)


def chunk_threads(threads, size=4):
    for i in range(0, len(threads), size):
        chunk = threads[i:i + size]
        for t in chunk:
            t.start()
        for t in chunk:
            t.join()


def join_all(threads):
    """Wait for every thread."""
    for t in threads:
        t.join()


async def crawl(urls):
    results = {}
    semaphore = asyncio.Semaphore(4)

    async def limited(task):
        async with semaphore:
            return await task

    outcomes = await asyncio.gather(
        *(limited(asyncio.to_thread(fetch, u, results)) for u in urls),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Exception in task fetch", exc_info=outcome
            )
    return results


async def crawl_wide(urls, width):
    results = {}
    semaphore = asyncio.Semaphore(width)

    async def limited(task):
        async with semaphore:
            return await task

    outcomes = await asyncio.gather(
        *(limited(asyncio.to_thread(fetch, u, results)) for u in urls),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Exception in task fetch", exc_info=outcome
            )
    return results


async def crawl_all(urls):
    results = {}
    outcomes = await asyncio.gather(
        *(asyncio.to_thread(fetch, u, results) for u in urls),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Exception in task fetch", exc_info=outcome
            )
    return results
