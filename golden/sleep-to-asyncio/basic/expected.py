import asyncio


async def retry(send):
    for attempt in range(3):
        if send():
            return True
        await asyncio.sleep(2 ** attempt)
    return False
