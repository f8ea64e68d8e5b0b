from pkg.helpers import pause


async def handler():
    waited = pause(1)
    return {"waited": waited}
