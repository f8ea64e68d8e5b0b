from pkg.store import make_store as new_store
from pkg.store import pause as nap


async def handler(key):
    nap(0.1)
    return new_store().fetch(key)
