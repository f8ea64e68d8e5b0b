import anyio

async def methods(path):
    async with await anyio.open_file(path, "r+") as f:
        name, mode = f.name, f.mode
        lines = (await f.read()).splitlines()
        await f.seek(0)
        position = -await f.tell()
        number = f.fileno()
        await f.aclose()
        done = f.closed
    with open(path) as g:
        reader = g.readline
        reader()
    with open(path) as h:
        h.buffer.read()
    return name, mode, lines, position, number, done
