"""One JSON report per processed recording, on disk."""

import json
import os


async def write_report(directory, name, data):
    path = os.path.join(directory, f"{name}.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=2, sort_keys=True)
    return path


async def read_report(path):
    with open(path) as f:
        return json.load(f)
