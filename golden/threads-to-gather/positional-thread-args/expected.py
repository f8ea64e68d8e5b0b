import asyncio


def upload(path, out, retries=1):
    out[path] = retries


async def upload_all(paths):
    out = {}
    await asyncio.gather(*(asyncio.to_thread(upload, p, out, retries=3) for p in paths))
    return out
