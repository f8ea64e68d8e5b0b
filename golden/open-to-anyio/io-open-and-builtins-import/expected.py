import anyio


async def both(a, b):
    async with await anyio.open_file(a, "rb") as f:
        first = await f.read()
    async with await anyio.open_file(b, "rb") as f:
        second = await f.read()
    return first + second
