import anyio

async def merge(a, b, out):
    async with (
        await anyio.open_file(a) as first,
        await anyio.open_file(b) as second,
        await anyio.open_file(out, "w") as target,
    ):
        await target.write(await first.read() + await second.read())
