import json


async def stats(path, word):
    total = 0
    longest = ""
    with open(path, encoding="utf-8") as f:
        header = f.readline()
        for line in f:
            if word in line:
                total += 1
            if len(line) > len(longest):
                longest = line
    return header, total, longest


async def two_blocks(path, read_file):
    # read_file is taken here: the nested functions get other names
    with open(path) as f:
        first = [line.strip() for line in f]
    with open(path + ".jsonl", "w") as out:
        for item in first:
            out.write(json.dumps(item) + "\n")
    return read_file(first)


async def chunks(src, dst):
    copied = 0
    with open(src, "rb") as source, open(dst, "wb") as target:
        while block := source.read(65536):
            copied += target.write(block)
    return copied, block


async def per_path(paths):
    sizes = {}
    for path in paths:
        with open(path) as f:
            n = sum(1 for _ in f)
        sizes[path] = n
    return sizes


class Store:
    async def load(self, path):
        with open(path) as f:
            self.rows = [line.split(",") for line in f]
        return len(self.rows)


async def spacing(path, rows):
    if not rows:
        rows = ["x"]
        
    # the blank line above belongs to the if block; no second one is added
    with open(path, "w") as f:
        for row in rows:
            f.write(row)
    total = len(rows)
    # a comment right after a statement: a blank line goes before it
    with open(path) as f:
        for line in f:
            total += 1
    return total
