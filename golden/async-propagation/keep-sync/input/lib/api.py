import time


def lookup(name):
    time.sleep(0.2)
    return name.title()


def warm():
    time.sleep(0.1)
