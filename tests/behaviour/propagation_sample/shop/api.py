"""Async handlers that call the sync helpers of ``prices``."""

from .prices import basket_total, get_price


async def price(base, item):
    value = get_price(base, item)
    return {"item": item, "price": value}


async def basket(base, items):
    return {"items": len(items), "total": basket_total(base, items)}
