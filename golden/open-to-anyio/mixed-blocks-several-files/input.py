import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)
ROOT = Path("/srv/app")


async def rebuild_index(names, publish):
    index = {}
    for name in names:
        # Each document is a JSON file next to its text.
        with open(ROOT / f"{name}.json", encoding="utf-8") as meta:
            with open(ROOT / f"{name}.txt", encoding="utf-8") as body:
                document = json.load(meta)
                document["words"] = len(body.read().split())  # rough count
        index[name] = document
    with open(ROOT / "index.json", "w", encoding="utf-8") as out:
        json.dump(index, out, ensure_ascii=False, indent=2)
        out.write("\n")
    with open(ROOT / "index.log", "a") as log_file:
        publish(log_file)  # the publisher writes its own lines
    log.info("rebuilt %d documents", len(index))
    return (ROOT / "index.json").read_text(encoding="utf-8")
