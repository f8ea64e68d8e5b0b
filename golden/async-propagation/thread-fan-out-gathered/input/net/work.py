import time


def ping(host, results):
    time.sleep(0.1)
    results[host] = "up"
