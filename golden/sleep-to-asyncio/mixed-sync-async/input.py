import time


def sync_wait():
    time.sleep(1)


async def async_wait():
    time.sleep(1)
