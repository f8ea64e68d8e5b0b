import time


class Cache:
    def fill(self, key):
        time.sleep(0.1)
        return key


class TieredCache(Cache):
    def fill(self, key):
        time.sleep(0.05)
        return super().fill(key)

    async def get(self, key):
        return self.fill(key)
