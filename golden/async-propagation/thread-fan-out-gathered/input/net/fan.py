import threading

from net.work import ping


async def check_all(hosts):
    results = {}
    threads = []
    for host in hosts:
        t = threading.Thread(target=ping, args=(host, results))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    return results
