import json

import anyio


async def stats(path, word):
    total = 0
    longest = ""

    def read_file():
        nonlocal total, longest
        with open(path, encoding="utf-8") as f:
            header = f.readline()
            for line in f:
                if word in line:
                    total += 1
                if len(line) > len(longest):
                    longest = line
        return header

    header = await anyio.to_thread.run_sync(read_file)
    return header, total, longest


async def two_blocks(path, read_file):
    # read_file is taken here: the nested functions get other names
    def read_file_2():
        with open(path) as f:
            first = [line.strip() for line in f]
        return first

    first = await anyio.to_thread.run_sync(read_file_2)

    def write_file():
        with open(path + ".jsonl", "w") as out:
            for item in first:
                out.write(json.dumps(item) + "\n")

    await anyio.to_thread.run_sync(write_file)
    return read_file(first)


async def chunks(src, dst):
    copied = 0

    def copy_file():
        nonlocal copied
        with open(src, "rb") as source, open(dst, "wb") as target:
            while block := source.read(65536):
                copied += target.write(block)
        return block

    block = await anyio.to_thread.run_sync(copy_file)
    return copied, block


async def per_path(paths):
    sizes = {}
    for path in paths:
        def read_file():
            with open(path) as f:
                n = sum(1 for _ in f)
            return n

        n = await anyio.to_thread.run_sync(read_file)
        sizes[path] = n
    return sizes


class Store:
    async def load(self, path):
        def read_file():
            with open(path) as f:
                self.rows = [line.split(",") for line in f]

        await anyio.to_thread.run_sync(read_file)
        return len(self.rows)


async def spacing(path, rows):
    if not rows:
        rows = ["x"]
        
    # the blank line above belongs to the if block; no second one is added
    def write_file():
        with open(path, "w") as f:
            for row in rows:
                f.write(row)

    await anyio.to_thread.run_sync(write_file)
    total = len(rows)

    # a comment right after a statement: a blank line goes before it
    def read_file():
        nonlocal total
        with open(path) as f:
            for line in f:
                total += 1

    await anyio.to_thread.run_sync(read_file)
    return total
