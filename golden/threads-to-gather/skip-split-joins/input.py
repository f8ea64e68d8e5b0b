import threading


def load(name, out):
    out[name] = name


async def page(out):
    head = threading.Thread(target=load, args=("head", out))
    body = threading.Thread(target=load, args=("body", out))
    head.start()
    body.start()
    head.join()
    print("head ready")
    body.join()
