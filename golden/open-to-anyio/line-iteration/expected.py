import anyio

async def count(path):
    total = 0
    async with await anyio.open_file(path, encoding="utf-8") as f:
        async for line in f:
            if line.strip():
                total += 1
        else:
            await f.seek(0)
    async with await anyio.open_file(path, encoding="utf-8") as f:
        words = [w async for line in f for w in line.split()]
    async with await anyio.open_file(path, encoding="utf-8") as f:
        unique = {line.rstrip("\n") async for line in f}
    async with await anyio.open_file(path, encoding="utf-8") as f:
        lengths = {n: len(line) for n, line in enumerate([l async for l in f])}
    return total, words, unique, lengths
