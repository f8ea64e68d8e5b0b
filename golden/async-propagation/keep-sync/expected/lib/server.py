from lib import api
import asyncio


async def handle(name):
    await api.warm()
    return await asyncio.to_thread(api.lookup, name)
