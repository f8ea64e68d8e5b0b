import anyio

async def load(path):
    return await anyio.Path(path).read_text(encoding="utf-8")
