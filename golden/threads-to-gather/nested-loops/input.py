import threading


def probe(region, host, out):
    out[(region, host)] = True


async def probe_fleet(fleet):
    out = {}
    threads = []
    for region, hosts in fleet.items():
        for host in hosts:
            if not host.startswith("#"):
                t = threading.Thread(target=probe, args=(region, host, out))
                t.start()
                threads.append(t)
    for t in threads:
        t.join()
    return out
