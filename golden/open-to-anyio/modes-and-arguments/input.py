import os


async def modes(path, data, blob):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(data)
    with open(path, "a", encoding="utf-8") as f:
        f.writelines([data, "\n"])
    with open(path, mode="r+b", buffering=0) as f:
        f.seek(0, os.SEEK_END)
        f.write(blob)
        f.truncate(10)
        f.flush()
    with open(path, "rb") as f:
        head = f.read(4)
        f.seek(-2, os.SEEK_END)
        tail = f.read()
    with open(path, "r", encoding="latin-1", errors="replace", newline=None) as f:
        first = f.readline()
        rest = f.readlines()
    with open(path, opener=lambda p, flags: os.open(p, flags, 0o600), mode="x") as f:
        pass
    return head, tail, first, rest
