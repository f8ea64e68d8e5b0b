import time


class Poller:
    async def poll(self):
        time.sleep(self.interval)

    def make(self):
        async def inner():
            time.sleep(1)

        return inner
