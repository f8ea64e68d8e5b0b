import anyio as aio


async def read(path):
    async with await aio.open_file(path) as f:
        return await f.read()


async def shadowed(path, anyio):
    with open(path) as f:
        return f.read(), anyio
