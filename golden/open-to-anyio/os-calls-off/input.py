import os


async def handler(path):
    if os.path.exists(path):
        with open(path) as f:
            return f.read()
    return os.listdir(".")
