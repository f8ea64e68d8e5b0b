from concurrent.futures import ThreadPoolExecutor


def work(n):
    return n


async def after_with(numbers):
    with ThreadPoolExecutor() as pool:
        futures = [pool.submit(work, n) for n in numbers]
    return [f.result() for f in futures]


async def consumed_twice(numbers):
    with ThreadPoolExecutor() as pool:
        futures = [pool.submit(work, n) for n in numbers]
        first = [f.result() for f in futures]
        second = [f.result() for f in futures]
    return first, second
