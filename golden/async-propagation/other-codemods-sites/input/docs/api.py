from docs.files import read


async def page(path):
    return read(path)
