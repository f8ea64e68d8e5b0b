"""Thread fan-outs as a blocking service writes them: the subject of the behaviour tests.

``tests/test_threads_to_gather_behaviour.py`` migrates a copy of this module with
threads-to-gather and runs the original and the migrated functions side by side.
"""

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

# How many targets run at once, and the most that ever did (reset by the tests).
STATS = {"in_flight": 0, "peak": 0}
_lock = threading.Lock()


def _enter():
    with _lock:
        STATS["in_flight"] += 1
        STATS["peak"] = max(STATS["peak"], STATS["in_flight"])


def _leave():
    with _lock:
        STATS["in_flight"] -= 1


def slow_double(n, results, delay):
    _enter()
    try:
        time.sleep(delay)
        if n < 0:
            raise ValueError(f"negative input {n}")
        results[n] = n * 2
    finally:
        _leave()


def fetch(url, bodies):
    _enter()
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            bodies.append((url, response.read().decode()))
    finally:
        _leave()


def square(n):
    time.sleep(0.02)
    return n * n


async def double_all(numbers, delay):
    results = {}
    threads = []
    for n in numbers:
        t = threading.Thread(target=slow_double, args=(n, results, delay))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    return results


async def fetch_all(urls):
    bodies = []
    threads = [threading.Thread(target=fetch, args=(url, bodies)) for url in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(bodies)


async def squares(numbers):
    with ThreadPoolExecutor(max_workers=3) as pool:
        return list(pool.map(square, numbers))


async def pair(a, b):
    out = {}
    first = threading.Thread(target=slow_double, args=(a, out, 0.05))
    second = threading.Thread(target=slow_double, args=(b, out, 0.05))
    first.start()
    second.start()
    first.join()
    second.join()
    return out
