import threading


def store(item, sink):
    sink.append(item)


async def store_batches(batches):
    sink = []
    for batch in batches:
        threads = [threading.Thread(target=store, args=(item, sink)) for item in batch]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"batch of {len(batch)} stored")
    return sink
