import time


class Clock:
    def sleep(self, seconds):
        pass


async def tick(sleep):
    sleep(1)


async def fake():
    time = Clock()
    time.sleep(1)
