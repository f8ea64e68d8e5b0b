from gzip import open as gzip_open


def open(path, mode="r"):
    return gzip_open(path, mode + "t")


async def read_compressed(path):
    with open(path) as f:
        return f.read()


async def opener(open, path):
    data = open(path).read()
    return data, open(path)
