import asyncio


async def attempt(task, tries):
    if task.done():
        return True
    if tries == 0:
        return False
    await asyncio.sleep(0.5)
    return await attempt(task, tries - 1)
