import asyncio
import time


def read(name):
    time.sleep(0.01)
    return name


async def handler(names, callbacks):
    later = lambda: read("x")
    callbacks.append(lambda: read("y"))
    def inner(value=read("default")):
        return value
    return await asyncio.to_thread(later), inner(), await asyncio.to_thread(read, "direct")
