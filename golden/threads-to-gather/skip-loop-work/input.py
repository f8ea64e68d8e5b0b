import threading
import time


def poll(source, out):
    out[source] = source


async def poll_all(sources):
    out = {}
    threads = []
    for source in sources:
        t = threading.Thread(target=poll, args=(source, out))
        t.start()
        threads.append(t)
        time.sleep(0.1)
    for t in threads:
        t.join()
    return out
