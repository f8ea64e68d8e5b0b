import threading


def send(hook, payload):
    hook.post(payload)


async def broadcast(hooks, payload):
    threads = []
    for hook in hooks:
        t = threading.Thread(target=send, args=(hook, payload))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
