import time


def attempt(task, tries):
    if task.done():
        return True
    if tries == 0:
        return False
    time.sleep(0.5)
    return attempt(task, tries - 1)
