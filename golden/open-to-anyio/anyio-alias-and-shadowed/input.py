import anyio as aio


async def read(path):
    with open(path) as f:
        return f.read()


async def shadowed(path, anyio):
    with open(path) as f:
        return f.read(), anyio
