import anyio

async def load(path):
    async with await anyio.open_file(path, encoding="utf-8") as f:
        return await f.read()
