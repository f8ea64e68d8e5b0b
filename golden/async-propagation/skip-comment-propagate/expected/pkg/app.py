from pkg.helpers import pause
import asyncio


async def handler():
    pause(1)  # asyncmig: skip
    return await asyncio.to_thread(pause, 2)
