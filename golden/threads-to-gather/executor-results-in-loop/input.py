from concurrent.futures import ThreadPoolExecutor


def price(item):
    return len(item)


async def total(items, ledger):
    with ThreadPoolExecutor(max_workers=2) as ex:
        futures = [ex.submit(price, item) for item in items]
        for fut in futures:
            ledger.append(fut.result() * 2)
    return ledger
