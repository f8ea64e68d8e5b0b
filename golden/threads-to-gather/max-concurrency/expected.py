import asyncio
import logging

log = logging.getLogger("crawler")


def crawl(url, pages):
    pages[url] = url


async def crawl_all(urls):
    pages = {}
    semaphore = asyncio.Semaphore(8)

    async def limited(task):
        async with semaphore:
            return await task

    outcomes = await asyncio.gather(
        *(limited(asyncio.to_thread(crawl, url, pages)) for url in urls),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            log.error("Exception in task crawl", exc_info=outcome)
    return pages
