import time


def pause(seconds):
    time.sleep(seconds)
    return seconds
