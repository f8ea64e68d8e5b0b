from pkg.helpers import pause, tick


async def handler(n):
    first = (await pause(n))[0]
    size = (await pause(n)).__len__()
    total = -await tick() + await tick() ** 2
    many = await pause(
        n,
    )
    return first, size, total, many, (await tick())
