import asyncio
import logging

from .http_clients import get_default_client


async def notify_all(urls, payload):
    async def post(url):
        await get_default_client().post(url, json=payload, timeout=5)

    outcomes = await asyncio.gather(*(post(u) for u in urls), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Exception in task post", exc_info=outcome
            )
