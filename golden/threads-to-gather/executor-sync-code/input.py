from concurrent.futures import ThreadPoolExecutor


def price(item):
    return len(item)


def prices(items):
    with ThreadPoolExecutor() as pool:
        return list(pool.map(price, items))


async def handler(items):
    return prices(items)
