from concurrent.futures import ThreadPoolExecutor


class Cache:
    def __init__(self, store):
        self.store = store

    async def load(self, keys):
        with ThreadPoolExecutor(max_workers=8) as executor:
            results = list(executor.map(lambda k: self.store.get(k), keys))
        return dict(zip(keys, results))

    async def refresh(self, keys):
        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(self.store.refresh, keys))

    async def slow(self, keys):
        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(self.store.refresh, keys, timeout=5))
