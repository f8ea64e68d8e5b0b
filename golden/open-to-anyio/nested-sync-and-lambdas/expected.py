import anyio

async def outer(path):
    def helper():
        with open(path) as f:
            return f.read()

    with open(path) as f:
        getter = lambda: f.read()

    def read_file():
        with open(path) as f:
            lines = list(line.strip() for line in f)
        return lines

    lines = await anyio.to_thread.run_sync(read_file)
    callback = lambda: open(path).read()
    return helper, getter, lines, callback
