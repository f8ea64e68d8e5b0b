import anyio

async def copy(src, dst):
    async with await anyio.open_file(src, "rb") as source, await anyio.open_file(dst, "wb") as target:
        await target.write(await source.read())
        return await source.tell(), await target.tell()
