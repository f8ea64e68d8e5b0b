import asyncio

from tool.helpers import pause


async def handler():
    return await asyncio.to_thread(pause, 1)
