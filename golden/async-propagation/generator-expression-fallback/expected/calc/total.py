import asyncio

from calc.cost import cost


async def total(items):
    whole = sum(cost(i) for i in items)
    first = await asyncio.to_thread(cost, items[0])
    return whole, first
