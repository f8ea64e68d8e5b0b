from time import monotonic
import asyncio


async def throttle(last):
    if monotonic() - last < 1:
        await asyncio.sleep(1)
