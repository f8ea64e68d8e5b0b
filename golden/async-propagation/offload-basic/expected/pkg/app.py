import asyncio

from pkg.helpers import pause


async def handler():
    waited = await asyncio.to_thread(pause, 1)
    return {"waited": waited}
