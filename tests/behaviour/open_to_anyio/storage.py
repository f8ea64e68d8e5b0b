"""A small storage layer with blocking file I/O in async code.

The subject of ``tests/test_open_to_anyio_behaviour.py``: the test migrates a copy with
``asyncmig run open-to-anyio`` and runs the original and the migrated functions on real
temporary files. Keep every function here migratable without a skip.
"""

import asyncio
import csv
import json
import os
import pickle
import shutil
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


async def publish_tree(root):
    src = os.path.join(root, "src")
    out = os.path.join(root, "out", "deep")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "a.txt"), "w", encoding="utf-8") as f:
        f.write("alpha")
    os.makedirs(out)
    shutil.copy2(os.path.join(src, "a.txt"), out)
    shutil.copyfile(os.path.join(src, "a.txt"), os.path.join(out, "b.txt"))
    shutil.copytree(src, os.path.join(root, "copy"), dirs_exist_ok=True)
    moved = shutil.move(os.path.join(root, "copy"), os.path.join(root, "moved"))
    os.rename(os.path.join(out, "b.txt"), os.path.join(out, "c.txt"))
    os.replace(os.path.join(out, "c.txt"), os.path.join(out, "a.txt"))
    shutil.rmtree(src)
    try:
        os.makedirs(out)
    except FileExistsError as exc:
        return os.path.relpath(moved, root), type(exc).__name__
    return os.path.relpath(moved, root), None


# -- blocks that run as one unit in a worker thread ---------------------------------------
async def count_matching(path, word):
    total = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if word in line:
                total += 1
    return total


async def find_line(path, prefix):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f):
            if line.startswith(prefix):
                return number, line
    return None


async def summarize(path):
    with open(path, encoding="utf-8", newline="") as f:
        first = f.readline()
        count = 1
        for _ in f:
            count += 1
    return first, count


async def copy_text(src, dst):
    with open(src, encoding="utf-8") as source, open(dst, "w", encoding="utf-8") as target:
        for line in source:
            target.write(line.upper())
        return target.tell()


async def copy_chunks(src, dst, size=5):
    copied = 0
    with open(src, "rb") as source, open(dst, "wb") as target:
        while chunk := source.read(size):
            copied += target.write(chunk)
    return copied, chunk


async def write_rows(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(",".join(str(cell) for cell in row) + "\n")


async def count_per_file(paths):
    counts = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            lines = sum(1 for _ in f)
        counts[os.path.basename(path)] = lines
    return counts


async def parse_records(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


async def csv_round_trip(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerows(rows)
    with open(path, encoding="utf-8", newline="") as f:
        back = list(csv.reader(f))
    return back


async def pickle_round_trip(path, value):
    with open(path, "wb") as f:
        pickle.dump(value, f)
    with open(path, "rb") as f:
        return pickle.load(f)


async def save_pretty(path, document):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")


async def index_files(folder, names):
    index = []
    with open(os.path.join(folder, "index.txt"), "w", encoding="utf-8") as out:
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                index.append(f"{name}:{len(f.read())}")
            out.write(index[-1] + "\n")
    return index


# -- a loop that awaits keeps the per-operation anyio form -------------------------------
async def slow_copy(src, dst):
    with open(src, encoding="utf-8") as source, open(dst, "w", encoding="utf-8") as target:
        for line in source:
            await asyncio.sleep(0)
            target.write(line)


# -- a block that only reads or writes the whole file: one anyio.Path call --------------
async def whole_file_blocks(directory, text):
    path = Path(directory) / "whole.txt"
    with open(path, "w", encoding="utf-8", errors="strict", newline="\r\n") as f:
        written = f.write(text)
    with open(path, "rb") as f:
        raw = f.read()
    with path.open(encoding="utf-8") as f:
        decoded = f.read()
    with open(path, encoding="ascii", errors="replace") as f:
        lossy = f.read()
    with (Path(directory) / "reversed.bin").open("wb") as f:
        f.write(raw[::-1])
    return written, raw, decoded, lossy


async def whole_file_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(obj, ensure_ascii=False))
    with open(path, "rb") as f:
        as_bytes = json.load(f)
    with open(path, encoding="utf-8") as f:
        return as_bytes, json.load(f, parse_float=str)


async def json_dump_lines(path, records):
    for record in records:
        json.dump(record, open(path, "a", encoding="utf-8"), sort_keys=True)


async def json_dump_fails(path, obj):
    try:
        json.dump(obj, open(path, "w", encoding="utf-8"), indent=1)
    except TypeError as exc:
        return str(exc)
    return None


def read_sync(path):
    with open(path, encoding="utf-8") as f:
        return f.read()
