from shop.repo import Repo

REPO = Repo(0.1)


async def show(key):
    value = REPO.fetch(key)
    Repo.backoff(1)
    return value
