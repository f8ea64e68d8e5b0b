import time


def backoff(attempt):
    time.sleep(2 ** attempt)


async def handler():
    return backoff(1)
