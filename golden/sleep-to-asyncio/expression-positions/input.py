import time


async def values(flag):
    result = time.sleep(0)
    if flag and not time.sleep(0):
        pass
    return (time.sleep(0)), result
