import time


def pause(seconds):
    time.sleep(seconds)
    return [seconds]


def tick():
    time.sleep(0.01)
    return 1
