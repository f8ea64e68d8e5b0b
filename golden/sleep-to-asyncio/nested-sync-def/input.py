import time


async def schedule(executor):
    def work():
        time.sleep(5)
        return 1

    time.sleep(0.1)
    return executor.submit(work)
