import threading


def work(n, out):
	out.append(n)


async def run(numbers):
	out = []
	threads = [threading.Thread(target=work, args=(n, out)) for n in numbers]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	return out
