import json
import os
from pathlib import Path

with open(__file__) as module_file:
    SOURCE = module_file.read()


def load(path):
    with open(path) as f:
        return json.load(f)


def exists(path):
    return os.path.exists(path) and Path(path).read_text() != ""


class Reader:
    def read(self, path):
        return open(path).read()
