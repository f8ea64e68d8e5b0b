import anyio

COUNT = 0


async def bump(path):
    global COUNT

    def read_file():
        global COUNT
        with open(path) as f:
            for line in f:
                COUNT += 1

    await anyio.to_thread.run_sync(read_file)
    return COUNT


def make_counter():
    seen = 0

    async def count(path):
        nonlocal seen

        def read_file():
            nonlocal seen
            with open(path) as f:
                for _ in f:
                    seen += 1

        await anyio.to_thread.run_sync(read_file)
        return seen

    return count
