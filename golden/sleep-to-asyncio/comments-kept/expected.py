import asyncio


async def wait():
    # give the upstream a moment
    await asyncio.sleep(  # seconds
        1.5  # tuned in production
    )  # trailing
