import asyncio

import anyio


async def forward(path, queue):
    async with await anyio.open_file(path) as f:
        async for line in f:
            await queue.put(line)


async def stream(path):
    async with await anyio.open_file(path, "rb") as f:
        while chunk := await f.read(65536):
            yield chunk


async def tail(path):
    async with await anyio.open_file(path) as f:
        while True:
            line = await f.readline()
            if not line:
                await asyncio.sleep(0.5)
                continue
            print(line, end="")


async def stamp(src, dst):
    async with await anyio.open_file(src) as meta:
        name = await meta.readline()
        async with await anyio.open_file(dst, "w") as out:
            await out.write(await meta.read())
            for _ in range(3):
                await out.write(name)
