import asyncio
import time


class Repo:
    def __init__(self, delay):
        self.delay = delay

    def fetch(self, key):
        time.sleep(self.delay)
        return key.upper()

    @staticmethod
    def backoff(attempt):
        time.sleep(2 ** attempt)

    async def get(self, key):
        await asyncio.to_thread(self.backoff, 0)
        return await asyncio.to_thread(self.fetch, key)
