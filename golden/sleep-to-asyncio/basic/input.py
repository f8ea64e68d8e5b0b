import time


async def retry(send):
    for attempt in range(3):
        if send():
            return True
        time.sleep(2 ** attempt)
    return False
