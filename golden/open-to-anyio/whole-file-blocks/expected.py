import json
from pathlib import Path

import anyio


async def read_config(path):
    # the whole file, decoded
    text = await anyio.Path(path).read_text(encoding="utf-8", errors="replace")
    raw = await anyio.Path(path).read_bytes()
    settings: dict = json.loads(await anyio.Path(path).read_text(), parse_float=str)
    document = json.loads(await anyio.Path(path).read_bytes())
    return text, raw, settings, document


async def save(path: Path, text, payload):
    await anyio.Path(path).write_text(
        text, encoding="utf-8", newline="\r\n"
    )  # one write, the whole file
    written = await anyio.Path(path.with_suffix(".bin")).write_bytes(payload)
    return await anyio.Path(path).read_text(encoding="utf-8")


async def kept_per_operation(path, text):
    async with await anyio.open_file(path, newline="") as f:  # newline= on a read: read_text has no newline
        exact = await f.read()
    async with await anyio.open_file(path, "a") as f:
        await f.write(text)
    async with await anyio.open_file(path) as f:
        head = await f.read()
        tail = await f.read()
    async with await anyio.open_file(path) as f:
        size = len(await f.read())
    async with await anyio.open_file(path) as g:
        last = await g.read()
    print(g.closed)
    return exact, head, tail, size, last
