from concurrent.futures import ThreadPoolExecutor


def work(n):
    return n


def schedule(pool, n):
    return pool.submit(work, n)


async def run(numbers):
    with ThreadPoolExecutor() as pool:
        futures = [schedule(pool, n) for n in numbers]
        return [f.result() for f in futures]
