from walk.even import is_even
from walk.odd import is_odd


async def parity(n):
    return {"even": is_even(n), "odd": is_odd(n)}
