import asyncio
import time


class Store:
    def fetch(self, key):
        time.sleep(0.1)
        return key


def make_store():
    time.sleep(0.01)
    return Store()


async def pause(seconds):
    await asyncio.sleep(seconds)
