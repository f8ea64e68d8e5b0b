import time


def slow_key(item):
    time.sleep(0.01)
    return len(item)
