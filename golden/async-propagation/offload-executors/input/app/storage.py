import time


def save_audio(path, chunk):
    time.sleep(0.1)
    return len(chunk)


def upload_profile(user):
    time.sleep(0.5)


def thumbnail(path):
    time.sleep(0.2)
