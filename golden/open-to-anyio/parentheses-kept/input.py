import os
from os import path


async def f(p, q):
    assert(os.path.exists(p))
    x = (os.listdir(q))
    return path.isfile(p), (open(p).read())
