import asyncio
import time


async def settle(seconds):
    await asyncio.sleep(seconds)
    return "settled"


def backoff(attempt):
    time.sleep(0.001 * attempt)
    return attempt * 2


async def run_job():
    return await settle(0.001)


async def retry(attempt):
    return await asyncio.to_thread(backoff, attempt)
