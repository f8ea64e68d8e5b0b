import json

import anyio


async def f(p, obj):
    a = json.loads(await anyio.Path(p).read_text())
    b = json.loads(await anyio.Path(p).read_bytes(), parse_float=str)
    c = json.loads(await anyio.Path(p).read_text(encoding="utf-8"))
    await anyio.Path(p).write_text(json.dumps(obj, indent=2), encoding="utf-8")
    await anyio.Path(p).write_text(json.dumps(obj))
    x = json.dump(obj, open(p, "w"))
    json.dump(obj, open(p, "a"))
    json.loads(await anyio.Path(p).read_text())
    return a, b, c, x
