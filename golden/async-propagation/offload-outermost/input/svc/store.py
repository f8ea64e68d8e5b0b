import time


def load(key):
    time.sleep(0.1)
    return {"key": key}
