async def load(path):
    with open(path) as f:
        return [line.rstrip("\n") for line in f]


async def find(path, prefix):
    with open(path) as f:
        for number, line in enumerate(f):
            if line.startswith(prefix):
                return number, line
            if not line.strip():
                return
    return None


async def first_or_raise(path):
    with open(path) as f:
        for line in f:
            if line.strip():
                return line
        raise ValueError("empty file")


async def in_any(paths, word):
    for path in paths:
        with open(path) as f:
            for line in f:
                if word in line:
                    return path
    return None
