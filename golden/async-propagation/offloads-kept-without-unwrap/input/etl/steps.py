import time


def extract(source):
    time.sleep(0.1)
    return [source]


def transform(rows, factor=1):
    time.sleep(0.1)
    return rows * factor
