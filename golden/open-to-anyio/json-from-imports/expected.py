import anyio
import json


async def roundtrip(path, value):
    async with await anyio.open_file(path, "w") as f:
        await f.write(json.dumps(value))
    async with await anyio.open_file(path) as f:
        return json.loads(await f.read())
