import os.path


async def present(path):
    return os.path.exists(path)
