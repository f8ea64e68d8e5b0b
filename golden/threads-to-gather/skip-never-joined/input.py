import threading


def audit(event):
    print(event)


async def handle(events):
    for event in events:
        t = threading.Thread(target=audit, args=(event,))
        t.start()
    threading.Thread(target=audit, args=("done",)).start()
    report = threading.Thread(target=audit, args=("report",))
    report.start()
