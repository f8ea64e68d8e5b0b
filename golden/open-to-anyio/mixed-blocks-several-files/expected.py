import json
import logging
from pathlib import Path

import anyio

log = logging.getLogger(__name__)
ROOT = Path("/srv/app")


async def rebuild_index(names, publish):
    index = {}
    for name in names:
        # Each document is a JSON file next to its text.
        async with await anyio.open_file(ROOT / f"{name}.json", encoding="utf-8") as meta:
            async with await anyio.open_file(ROOT / f"{name}.txt", encoding="utf-8") as body:
                document = json.loads(await meta.read())
                document["words"] = len((await body.read()).split())  # rough count
        index[name] = document

    def write_file():
        with open(ROOT / "index.json", "w", encoding="utf-8") as out:
            json.dump(index, out, ensure_ascii=False, indent=2)
            out.write("\n")

    await anyio.to_thread.run_sync(write_file)

    def write_file_2():
        with open(ROOT / "index.log", "a") as log_file:
            publish(log_file)  # the publisher writes its own lines

    await anyio.to_thread.run_sync(write_file_2)
    log.info("rebuilt %d documents", len(index))
    return await anyio.Path(ROOT / "index.json").read_text(encoding="utf-8")
