import json


async def save(path, settings):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(settings, f, indent=2, sort_keys=True)


async def save_keyword(path, settings):
    with open(path, "w") as f:
        json.dump(settings, fp=f)


async def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_float=str)
