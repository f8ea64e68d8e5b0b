import time


def fetch(url):
    time.sleep(0.05)
    return url
