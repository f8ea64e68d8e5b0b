import anyio


async def save(path, data):
    try:
        await anyio.Path(path).write_text(data)
    except:
        pass


async def load(path):
    try:
        return await anyio.Path(path).read_text()
    except BaseException:
        return None


async def count(path):
    total = 0
    try:
        def read_file():
            nonlocal total
            with open(path) as f:
                for line in f:
                    total += 1

        await anyio.to_thread.run_sync(read_file)
    except (OSError, BaseException):
        total = -1
    return total


async def narrowed(path):
    try:
        if await anyio.Path(path).exists():
            return await anyio.Path(path).read_text()
    except Exception:
        return None


async def reraises(path, log):
    try:
        return await anyio.Path(path).read_text()
    except:
        log("failed")
        raise
