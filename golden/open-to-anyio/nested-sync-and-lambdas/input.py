async def outer(path):
    def helper():
        with open(path) as f:
            return f.read()

    with open(path) as f:
        getter = lambda: f.read()
    with open(path) as f:
        lines = list(line.strip() for line in f)
    callback = lambda: open(path).read()
    return helper, getter, lines, callback
