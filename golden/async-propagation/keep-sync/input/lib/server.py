from lib import api


async def handle(name):
    api.warm()
    return api.lookup(name)
