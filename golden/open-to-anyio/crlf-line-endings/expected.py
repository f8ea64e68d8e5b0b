import anyio

async def load(path):
    async with await anyio.open_file(path, "rb") as f:  # binary
        return await f.read()
