import asyncio


def store(item, sink):
    sink.append(item)


async def store_batches(batches):
    sink = []
    for batch in batches:
        await asyncio.gather(*(asyncio.to_thread(store, item, sink) for item in batch))
        print(f"batch of {len(batch)} stored")
    return sink
