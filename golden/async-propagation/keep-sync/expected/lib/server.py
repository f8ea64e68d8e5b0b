import asyncio

from lib import api


async def handle(name):
    await api.warm()
    return await asyncio.to_thread(api.lookup, name)
