import anyio


async def both(a, b):
    first = await anyio.Path(a).read_bytes()
    second = await anyio.Path(b).read_bytes()
    return first + second
