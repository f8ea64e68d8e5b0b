import csv
import pickle
from csv import DictWriter


async def export(path, rows):
    with open(path, newline="") as f:
        existing = list(csv.reader(f))
    with open(path, "a", newline="") as f:
        DictWriter(f, fieldnames=["a"]).writerows(rows)
    with open(path + ".pkl", "rb") as f:
        cache = pickle.load(f)
    return existing, cache
