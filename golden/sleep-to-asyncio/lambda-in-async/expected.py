import time


async def later(loop):
    loop.call_soon(lambda: time.sleep(1))
