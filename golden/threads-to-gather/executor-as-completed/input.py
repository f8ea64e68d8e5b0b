from concurrent.futures import ThreadPoolExecutor, as_completed


def checksum(path):
    return len(path)


async def checksums(paths, report):
    total = 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(checksum, p) for p in paths]
        for future in as_completed(futures):
            size = future.result()
            report(size)
            total += size
    return total
