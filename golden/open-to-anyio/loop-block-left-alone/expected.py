import asyncio


async def first_non_empty(paths):
    for path in paths:
        with open(path) as f:
            for line in f:
                if line.strip():
                    break
            else:
                continue
        break


async def skip_headers(paths, sink):
    for path in paths:
        with open(path) as f:
            if f.readline().startswith("#"):
                continue
            for line in f:
                sink.append(line)


async def announce(path, queue: asyncio.Queue):
    with open(path) as f:
        for line in f:
            queue.put_nowait(line)


async def schedule(path, handle):
    with open(path) as f:
        for line in f:
            asyncio.create_task(handle(line))


async def last_match(path, word):
    with open(path) as f:
        for line in f:
            if word in line:
                found = line
    return found


async def lines_gen(path):
    with open(path) as f:
        for line in f:
            if not line:
                return
    yield 1


async def tolerant(path):
    try:
        with open(path) as f:
            rows = [line.split() for line in f]
    except OSError:
        pass
    return rows


async def uploaded(path, sink):
    with open(path, "rb") as f:
        await sink(f)


async def marked(path):
    total = 0
    with open(path) as f:
        for line in f:  # asyncmig: skip
            total += 1
    return total


class Child(Base):
    async def load(self, path):
        with open(path) as f:
            for line in f:
                super().feed(line)


async def drop_cache(path, cache):
    with open(path) as f:
        for line in f:
            del cache[line]
        del cache


async def debug(path):
    with open(path) as f:
        for line in f:
            print(locals())
