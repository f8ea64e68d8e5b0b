async def methods(path):
    with open(path, "r+") as f:
        name, mode = f.name, f.mode
        lines = f.read().splitlines()
        f.seek(0)
        position = -f.tell()
        number = f.fileno()
        f.close()
        done = f.closed
    with open(path) as g:
        reader = g.readline
        reader()
    with open(path) as h:
        h.buffer.read()
    return name, mode, lines, position, number, done
