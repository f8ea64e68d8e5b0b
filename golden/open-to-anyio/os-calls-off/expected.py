import os

import anyio


async def handler(path):
    if os.path.exists(path):
        return await anyio.Path(path).read_text()
    return os.listdir(".")
