from app import settings
import asyncio


async def wait():
    await asyncio.sleep(settings.DELAY)
