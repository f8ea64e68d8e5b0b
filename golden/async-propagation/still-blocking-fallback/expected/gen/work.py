import subprocess
import threading
from pathlib import Path

import requests

from .http_clients import get_default_client


def fan_out(urls):
    threads = [threading.Thread(target=print, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    [t.join() for t in threads]
    return requests.get(urls[0], timeout=5).text


def generate(spec_url, out):
    spec = requests.get(spec_url, timeout=10).json()
    Path(out).mkdir(parents=True, exist_ok=True)
    subprocess.run(["ruff", "format", out], check=True)
    return spec


def fmt(path):
    subprocess.run(["ruff", "format", path], check=True)


def publish(url, path):
    fmt(path)
    return requests.post(url, json={"path": path}, timeout=5).status_code


async def lookup(url):
    return (await get_default_client().get(url, timeout=5)).json()


def by_length(url):
    return len(requests.get(url, timeout=5).text)


def rank(urls):
    requests.head(urls[0], timeout=5)
    return sorted(urls, key=by_length)
