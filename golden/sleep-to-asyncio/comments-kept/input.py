import time


async def wait():
    # give the upstream a moment
    time.sleep(  # seconds
        1.5  # tuned in production
    )  # trailing
