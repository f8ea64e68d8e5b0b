from walk import even


async def is_odd(n):
    if n == 0:
        return False
    return await even.is_even(n - 1)
