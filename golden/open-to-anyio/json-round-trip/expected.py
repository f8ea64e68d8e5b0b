import json

import anyio


async def save(path, settings):
    def write_file():
        with open(path, "w", encoding="utf-8") as f:
            json.dump(settings, f, indent=2, sort_keys=True)

    await anyio.to_thread.run_sync(write_file)


async def save_keyword(path, settings):
    def write_file():
        with open(path, "w") as f:
            json.dump(settings, fp=f)

    await anyio.to_thread.run_sync(write_file)


async def load(path):
    return json.loads(
        await anyio.Path(path).read_text(encoding="utf-8"), parse_float=str
    )
