import os


async def save(path, data):
    try:
        with open(path, "w") as f:
            f.write(data)
    except:
        pass


async def load(path):
    try:
        return open(path).read()
    except BaseException:
        return None


async def count(path):
    total = 0
    try:
        with open(path) as f:
            for line in f:
                total += 1
    except (OSError, BaseException):
        total = -1
    return total


async def narrowed(path):
    try:
        if os.path.exists(path):
            return open(path).read()
    except Exception:
        return None


async def reraises(path, log):
    try:
        with open(path) as f:
            return f.read()
    except:
        log("failed")
        raise
