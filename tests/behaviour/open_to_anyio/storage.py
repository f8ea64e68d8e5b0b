"""A small storage layer with blocking file I/O in async code.

The subject of ``tests/test_open_to_anyio_behaviour.py``: the test migrates a copy with
``asyncmig run open-to-anyio`` and runs the original and the migrated functions on real
temporary files. Keep every function here migratable without a skip.
"""

import json
import os
from pathlib import Path


async def write_text(path, text):
    with open(path, "w", encoding="utf-8") as f:
        return f.write(text)


async def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


async def read_raw_newlines(path):
    with open(path, encoding="utf-8", newline="") as f:
        first = f.readline()
        return first, f.readlines()


async def append_lines(path, lines):
    with open(path, "a", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
        return f.tell()


async def stripped_lines(path):
    result = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            result.append(line.rstrip("\n"))
    return result


async def upper_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.upper() for line in f]


async def copy_binary(src, dst, chunk=7):
    with open(src, "rb") as source, open(dst, "wb") as target:
        while True:
            block = source.read(chunk)
            if not block:
                break
            target.write(block)
        return source.tell(), target.tell()


async def patch_binary(path, offset, data):
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(data)
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.truncate(size - 1)
        return size, f.name == path, f.closed


async def save_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2, sort_keys=True)


async def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


async def json_one_liners(path, obj):
    json.dump(obj, open(path, "w", encoding="utf-8"), ensure_ascii=False, separators=(",", ":"))
    return json.load(open(path, encoding="utf-8")), json.load(open(path, "rb"))


async def one_liners(path, text):
    written = open(path, "w", encoding="utf-8").write(text)
    return written, open(path, encoding="utf-8").read(), open(path, "rb").read()


async def path_io(directory, name, payload):
    target = Path(directory) / name
    target.write_bytes(payload)
    (Path(directory) / (name + ".txt")).write_text(payload.decode("latin-1"), encoding="utf-8")
    return target.read_bytes(), (Path(directory) / (name + ".txt")).read_text(encoding="utf-8")


async def path_queries(directory, name):
    folder = Path(directory) / "nested" / "deeper"
    folder.mkdir(parents=True, exist_ok=True)
    keep = folder / name
    keep.touch()
    gone = keep.with_suffix(".tmp")
    gone.write_text("x")
    info = (keep.exists(), keep.is_file(), folder.is_dir(), gone.stat().st_size)
    gone.unlink()
    return info, gone.exists()


async def inventory(directory):
    names = sorted(os.listdir(directory))
    sizes = {
        name: os.path.getsize(os.path.join(directory, name))
        for name in names
        if os.path.isfile(os.path.join(directory, name))
    }
    return names, sizes, os.path.exists(os.path.join(directory, "missing"))


async def remove(path):
    if os.path.exists(path):
        os.remove(path)
        return True
    return False


def read_sync(path):
    with open(path, encoding="utf-8") as f:
        return f.read()
