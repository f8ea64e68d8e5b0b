from walk.even import is_even
from walk.odd import is_odd


async def parity(n):
    return {"even": await is_even(n), "odd": await is_odd(n)}
