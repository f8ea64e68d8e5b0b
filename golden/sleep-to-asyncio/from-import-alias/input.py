from time import monotonic, sleep as nap


async def throttle(last):
    if monotonic() - last < 1:
        nap(1)
