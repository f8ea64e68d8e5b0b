class Thread:
    def __init__(self, target):
        self.target = target

    def start(self):
        self.target()

    def join(self):
        pass


async def run(job, threading):
    t = Thread(target=job)
    t.start()
    t.join()
    u = threading.Thread(target=job)
    u.start()
    u.join()
