import asyncio
import logging

import requests

logger = logging.getLogger(__name__)


def fetch(url, results):
    results[url] = requests.get(url, timeout=10).status_code


async def check_all(urls):
    results = {}
    outcomes = await asyncio.gather(
        *(asyncio.to_thread(fetch, url, results) for url in urls),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            logger.error("Exception in task fetch", exc_info=outcome)
    return results
