import json
import anyio


async def save(path, settings):
    async with await anyio.open_file(path, "w", encoding="utf-8") as f:
        await f.write(json.dumps(settings, indent=2, sort_keys=True))


async def save_keyword(path, settings):
    async with await anyio.open_file(path, "w") as f:
        await f.write(json.dumps(settings))


async def load(path):
    async with await anyio.open_file(path, encoding="utf-8") as f:
        return json.loads(await f.read(), parse_float=str)
