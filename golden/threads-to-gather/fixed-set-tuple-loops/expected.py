import asyncio


def index(doc, out):
    out[doc] = len(doc)


async def reindex(a, b, c):
    out = {}
    await asyncio.gather(
        asyncio.to_thread(index, a, out),
        asyncio.to_thread(index, b, out),
        asyncio.to_thread(index, c, out),
    )
    return out
