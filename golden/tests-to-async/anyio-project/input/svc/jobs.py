import time


def settle(seconds):
    time.sleep(seconds)
    return "settled"


def backoff(attempt):
    time.sleep(0.001 * attempt)
    return attempt * 2


async def run_job():
    return settle(0.001)


async def retry(attempt):
    return backoff(attempt)
