from . import store


async def load_all(keys):
    found = []
    for key in keys:
        found.append(await store.load(key))
    return found


async def describe(keys):
    return f"{len(await load_all(keys))} records"
