import asyncio

from pkg.helpers import pause


async def handler():
    pause(1)  # asyncmig: skip
    return await asyncio.to_thread(pause, 2)
