import os

import anyio


async def f(p, q):
    assert(await anyio.Path(p).exists())
    x = (await anyio.to_thread.run_sync(os.listdir, q))
    return await anyio.Path(p).is_file(), (await anyio.Path(p).read_text())
