import asyncio


def resize(image, size):
    return image, size


async def thumbnails(image):
    semaphore = asyncio.Semaphore(1)

    async def limited(task):
        async with semaphore:
            return await task

    await asyncio.gather(
        limited(asyncio.to_thread(resize, image, 64)),
        limited(asyncio.to_thread(resize, image, 512)),
    )
