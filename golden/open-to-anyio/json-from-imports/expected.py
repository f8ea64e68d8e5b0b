from json import dump
import anyio
import json


async def roundtrip(path, value):
    def write_file():
        with open(path, "w") as f:
            dump(value, f)

    await anyio.to_thread.run_sync(write_file)
    return json.loads(await anyio.Path(path).read_text())
