from pkg.helpers import pause
import asyncio


async def handler():
    waited = await asyncio.to_thread(pause, 1)
    return {"waited": waited}
