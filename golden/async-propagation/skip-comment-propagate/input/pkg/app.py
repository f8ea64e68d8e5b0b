from pkg.helpers import pause


async def handler():
    pause(1)  # asyncmig: skip
    return pause(2)
