import io
from builtins import open


async def both(a, b):
    with io.open(a, "rb") as f:
        first = f.read()
    with open(b, "rb") as f:
        second = f.read()
    return first + second
