from pkg.helpers import pause


async def handler():
    waited = await pause(1)
    return {"waited": waited}
