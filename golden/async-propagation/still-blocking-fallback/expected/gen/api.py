import asyncio

from gen.work import fan_out, generate, lookup, publish, rank


async def build(urls, out):
    first = await asyncio.to_thread(fan_out, urls)
    spec = await asyncio.to_thread(generate, urls[0], out)
    code = await asyncio.to_thread(publish, urls[1], out)
    ranked = await asyncio.to_thread(rank, urls)
    return first, spec, code, ranked, await lookup(urls[2])
