import os

import anyio


async def keep(path):
    with open(path) as f:  # asyncmig: skip
        first = f.read()
    async with await anyio.open_file(path) as f:
        second = await f.read()
    if os.path.exists(path):  # asyncmig: skip
        return first, second


async def keep_block(path):
    with open(path) as f:
        header = f.readline()
        body = f.read()  # asyncmig: skip
    return header, body
