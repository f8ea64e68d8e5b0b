import asyncio
import threading
import time


def tick():
    time.sleep(1)
    return "tick"


def start_ticker():
    threading.Thread(target=tick, daemon=True).start()


async def tick_now():
    return await asyncio.to_thread(tick)
