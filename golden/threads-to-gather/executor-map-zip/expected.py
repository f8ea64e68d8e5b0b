import asyncio as aio


def copy(src, dst):
    return src, dst


async def copy_all(sources, targets):
    for pair in await aio.gather(
        *(aio.to_thread(copy, item1, item2) for item1, item2 in zip(sources, targets)),
    ):
        print(pair)
    await aio.sleep(0)
