import time


def settle():
    time.sleep(0.2)


def probe():
    time.sleep(0.1)
    return True


READY = probe()


async def startup():
    def step():
        settle()
        return probe()
    return step()
