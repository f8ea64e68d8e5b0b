import asyncio as aio


async def pause():
    await aio.sleep(1)
    return await aio.gather()
