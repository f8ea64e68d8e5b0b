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
