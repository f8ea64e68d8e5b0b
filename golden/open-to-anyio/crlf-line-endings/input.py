async def load(path):
    with open(path, "rb") as f:  # binary
        return f.read()
