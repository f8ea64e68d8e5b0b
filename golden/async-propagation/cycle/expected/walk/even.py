import asyncio

from walk import odd


async def is_even(n):
    await asyncio.sleep(0.01)
    if n == 0:
        return True
    return await odd.is_odd(n - 1)
