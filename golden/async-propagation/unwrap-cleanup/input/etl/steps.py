import time


def _sync_load(source):
    time.sleep(0.1)
    return [source]


def transform(rows):
    time.sleep(0.1)
    return rows * 2
