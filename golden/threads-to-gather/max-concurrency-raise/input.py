import threading


def resize(image, size):
    return image, size


async def thumbnails(image):
    small = threading.Thread(target=resize, args=(image, 64))
    large = threading.Thread(target=resize, args=(image, 512))
    small.start()
    large.start()
    small.join()
    large.join()
