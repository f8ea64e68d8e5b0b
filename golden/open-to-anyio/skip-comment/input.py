import os


async def keep(path):
    with open(path) as f:  # asyncmig: skip
        first = f.read()
    with open(path) as f:
        second = f.read()
    if os.path.exists(path):  # asyncmig: skip
        return first, second


async def keep_block(path):
    with open(path) as f:
        header = f.readline()
        body = f.read()  # asyncmig: skip
    return header, body
