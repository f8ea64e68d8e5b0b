import asyncio


def a(out):
    out.append("a")


def b(out, n):
    out.append("b" * n)


async def both():
    out = []
    await asyncio.gather(asyncio.to_thread(a, out), asyncio.to_thread(b, out, 2))
    return out
