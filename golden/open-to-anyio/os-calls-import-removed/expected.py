import anyio


async def present(path):
    return await anyio.Path(path).exists()
