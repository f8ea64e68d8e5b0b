from time import sleep


async def wait_ready(probe):
    while not probe():
        sleep(1)
