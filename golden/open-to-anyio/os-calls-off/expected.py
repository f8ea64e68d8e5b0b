import os

import anyio


async def handler(path):
    if os.path.exists(path):
        async with await anyio.open_file(path) as f:
            return await f.read()
    return os.listdir(".")
