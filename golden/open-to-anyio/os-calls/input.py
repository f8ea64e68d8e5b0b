import os
import os.path
from os.path import exists


async def cleanup(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return []
    if os.path.isfile(path) and os.path.getsize(path) == 0:
        os.remove(path)
    elif os.path.isdir(path):
        os.unlink(path + ".lock")
    if exists(directory + ".old"):
        os.unlink(directory + ".old")
    return sorted(os.listdir(directory)) + os.listdir()
