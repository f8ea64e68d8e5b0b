from tool.helpers import pause


async def handler():
    return pause(1)
