from shop.repo import Repo

REPO = Repo(0.1)


async def show(key):
    value = await REPO.fetch(key)
    await Repo.backoff(1)
    return value
