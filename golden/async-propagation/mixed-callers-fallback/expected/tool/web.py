from tool.helpers import pause
import asyncio


async def handler():
    return await asyncio.to_thread(pause, 1)
