from json import dump, load


async def roundtrip(path, value):
    with open(path, "w") as f:
        dump(value, f)
    with open(path) as f:
        return load(f)
