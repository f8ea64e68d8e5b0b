import threading


def heartbeat():
    pass


def flush(buffer):
    buffer.clear()


async def start(buffer):
    beat = threading.Thread(target=heartbeat, daemon=True)
    beat.start()
    flusher = threading.Thread(target=flush, args=(buffer,))
    flusher.daemon = True
    flusher.start()
    flusher.join()
