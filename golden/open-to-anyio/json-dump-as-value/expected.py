import json

import anyio


async def save(path, value):
    def write_file():
        with open(path, "w") as f:
            result = json.dump(value, f)
        return result

    result = await anyio.to_thread.run_sync(write_file)
    return result


async def save_one_line(path, value):
    result = json.dump(value, open(path, "w"))
    return result
