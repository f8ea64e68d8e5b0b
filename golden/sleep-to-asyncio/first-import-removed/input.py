import time

from app import settings


async def wait():
    time.sleep(settings.DELAY)
