import json


async def save(path, value):
    with open(path, "w") as f:
        result = json.dump(value, f)
    return result


async def save_one_line(path, value):
    result = json.dump(value, open(path, "w"))
    return result
