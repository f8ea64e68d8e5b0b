async def touch(path):
    with open(path, "a"):
        pass
