import asyncio
import time


def nightly():
    time.sleep(1)


JOBS = {"nightly": nightly}


async def run_now():
    await asyncio.to_thread(nightly)
