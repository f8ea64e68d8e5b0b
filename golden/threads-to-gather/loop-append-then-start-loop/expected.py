import asyncio


def resize(path, size, out):
    out[path] = size


async def resize_all(paths, size):
    out = {}
    await asyncio.gather(
        *(asyncio.to_thread(resize, path, size, out) for path in paths),
    )
    return out
