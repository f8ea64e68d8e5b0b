import json


async def save(path, value):
    with open(path, "w") as f:
        result = json.dump(value, f)
    return result
