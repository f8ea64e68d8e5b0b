from pkg.helpers import pause, tick


async def handler(n):
    first = pause(n)[0]
    size = pause(n).__len__()
    total = -tick() + tick() ** 2
    many = pause(
        n,
    )
    return first, size, total, many, (tick())
