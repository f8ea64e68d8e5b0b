import asyncio


async def forward(path, queue):
    with open(path) as f:
        for line in f:
            await queue.put(line)


async def stream(path):
    with open(path, "rb") as f:
        while chunk := f.read(65536):
            yield chunk


async def tail(path):
    with open(path) as f:
        while True:
            line = f.readline()
            if not line:
                await asyncio.sleep(0.5)
                continue
            print(line, end="")


async def stamp(src, dst):
    with open(src) as meta:
        name = meta.readline()
        with open(dst, "w") as out:
            out.write(meta.read())
            for _ in range(3):
                out.write(name)
