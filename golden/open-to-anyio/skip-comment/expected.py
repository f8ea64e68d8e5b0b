import os
import anyio


async def keep(path):
    with open(path) as f:  # asyncmig: skip
        first = f.read()
    async with await anyio.open_file(path) as f:
        second = await f.read()
    if os.path.exists(path):  # asyncmig: skip
        return first, second
