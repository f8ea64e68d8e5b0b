import threading

import anyio

lock = threading.Lock()


async def append(path, line, other):
    with lock:  # serialize writers
        async with await anyio.open_file(path, "a") as f:
            await f.write(line)
    async with await anyio.open_file(path) as f:
        with other:
            return await f.read()
