import asyncio
import time


class Store:
    def load(self, key):
        time.sleep(0.1)
        return key

    async def get(self, key):
        return await asyncio.to_thread(self.load, key)


def refresh(store):
    return store.load("all")
