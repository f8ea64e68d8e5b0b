import os

import anyio


async def modes(path, data, blob):
    await anyio.Path(path).write_text(data, encoding="utf-8", newline="")
    async with await anyio.open_file(path, "a", encoding="utf-8") as f:
        await f.writelines([data, "\n"])
    async with await anyio.open_file(path, mode="r+b", buffering=0) as f:
        await f.seek(0, os.SEEK_END)
        await f.write(blob)
        await f.truncate(10)
        await f.flush()
    async with await anyio.open_file(path, "rb") as f:
        head = await f.read(4)
        await f.seek(-2, os.SEEK_END)
        tail = await f.read()
    async with await anyio.open_file(path, "r", encoding="latin-1", errors="replace", newline=None) as f:
        first = await f.readline()
        rest = await f.readlines()
    async with await anyio.open_file(path, opener=lambda p, flags: os.open(p, flags, 0o600), mode="x") as f:
        pass
    return head, tail, first, rest
