COUNT = 0


async def bump(path):
    global COUNT
    with open(path) as f:
        for line in f:
            COUNT += 1
    return COUNT


def make_counter():
    seen = 0

    async def count(path):
        nonlocal seen
        with open(path) as f:
            for _ in f:
                seen += 1
        return seen

    return count
