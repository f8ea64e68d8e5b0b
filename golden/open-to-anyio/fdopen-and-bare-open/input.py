import os


async def raw(fd, path):
    with os.fdopen(fd, "w") as f:
        f.write("x")
    handle = open(path)
    try:
        return handle.read()
    finally:
        handle.close()
