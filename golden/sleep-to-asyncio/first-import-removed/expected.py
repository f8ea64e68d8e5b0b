import asyncio

from app import settings


async def wait():
    await asyncio.sleep(settings.DELAY)
