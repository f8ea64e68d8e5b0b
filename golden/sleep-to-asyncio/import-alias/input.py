import time as t


async def poll(check):
    while not check():
        t.sleep(0.5)
