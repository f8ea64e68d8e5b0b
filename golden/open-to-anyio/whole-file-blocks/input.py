import json
from json import load
from pathlib import Path


async def read_config(path):
    # the whole file, decoded
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    with open(path, "rb") as f:
        raw = f.read()
    with open(path) as f: settings: dict = json.load(f, parse_float=str)
    with open(path, "rb") as f:
        document = load(f)
    return text, raw, settings, document


async def save(path: Path, text, payload):
    with open(path, "w", encoding="utf-8", newline="\r\n") as f:
        f.write(text)  # one write, the whole file
    with path.with_suffix(".bin").open("wb") as f:
        written = f.write(payload)
    with path.open(encoding="utf-8") as f:
        return f.read()


async def kept_per_operation(path, text):
    with open(path, newline="") as f:  # newline= on a read: read_text has no newline
        exact = f.read()
    with open(path, "a") as f:
        f.write(text)
    with open(path) as f:
        head = f.read()
        tail = f.read()
    with open(path) as f:
        size = len(f.read())
    with open(path) as g:
        last = g.read()
    print(g.closed)
    return exact, head, tail, size, last
