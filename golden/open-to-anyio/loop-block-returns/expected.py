import anyio

async def load(path):
    def read_file():
        with open(path) as f:
            return [line.rstrip("\n") for line in f]

    return await anyio.to_thread.run_sync(read_file)


async def find(path, prefix):
    def read_file():
        with open(path) as f:
            for number, line in enumerate(f):
                if line.startswith(prefix):
                    return True, (number, line)
                if not line.strip():
                    return True, None
        return False, None

    returned, result = await anyio.to_thread.run_sync(read_file)
    if returned:
        return result
    return None


async def first_or_raise(path):
    def read_file():
        with open(path) as f:
            for line in f:
                if line.strip():
                    return line
            raise ValueError("empty file")

    return await anyio.to_thread.run_sync(read_file)


async def in_any(paths, word):
    for path in paths:
        def read_file():
            with open(path) as f:
                for line in f:
                    if word in line:
                        return True, path
            return False, None

        returned, result = await anyio.to_thread.run_sync(read_file)
        if returned:
            return result
    return None
