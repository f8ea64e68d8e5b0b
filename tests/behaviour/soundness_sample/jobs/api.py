"""Async handlers over the helpers of ``work``."""

from .work import fetch_price, retry, warm


async def warm_up(base, items):
    return warm(base, items)


async def priced(base, item):
    return retry(lambda: fetch_price(base, item), 3)
