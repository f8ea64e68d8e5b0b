import os


async def remove(name, directory_fd):
    os.remove(name, dir_fd=directory_fd)
    return os.path.exists(*[name])
