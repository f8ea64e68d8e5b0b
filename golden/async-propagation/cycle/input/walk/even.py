import time

from walk import odd


def is_even(n):
    time.sleep(0.01)
    if n == 0:
        return True
    return odd.is_odd(n - 1)
