import os

import anyio


async def keep(path):
    with open(path) as f:  # asyncmig: skip
        first = f.read()
    second = await anyio.Path(path).read_text()
    if os.path.exists(path):  # asyncmig: skip
        return first, second


async def keep_block(path):
    with open(path) as f:
        header = f.readline()
        body = f.read()  # asyncmig: skip
    return header, body
