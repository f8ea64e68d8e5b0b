import csv
import pickle
from csv import DictWriter

import anyio


async def export(path, rows):
    def read_file():
        with open(path, newline="") as f:
            existing = list(csv.reader(f))
        return existing

    existing = await anyio.to_thread.run_sync(read_file)

    def write_file():
        with open(path, "a", newline="") as f:
            DictWriter(f, fieldnames=["a"]).writerows(rows)

    await anyio.to_thread.run_sync(write_file)

    def read_file_2():
        with open(path + ".pkl", "rb") as f:
            cache = pickle.load(f)
        return cache

    cache = await anyio.to_thread.run_sync(read_file_2)
    return existing, cache
