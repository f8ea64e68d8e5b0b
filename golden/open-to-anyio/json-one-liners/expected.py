import json

import anyio


async def f(p, obj):
    a = json.loads(await anyio.Path(p).read_text())
    b = json.loads(await anyio.Path(p).read_bytes(), parse_float=str)
    c = json.loads(await anyio.Path(p).read_text(encoding="utf-8"))

    def write_file():
        with open(p, "w", encoding="utf-8") as f_2:
            json.dump(obj, f_2, indent=2)

    await anyio.to_thread.run_sync(write_file)

    def write_file_2():
        with open(p, "w") as f_2:
            json.dump(obj, fp=f_2)

    await anyio.to_thread.run_sync(write_file_2)
    x = json.dump(obj, open(p, "w"))

    def write_file_3():
        with open(p, "a") as f_2:
            json.dump(obj, f_2)

    await anyio.to_thread.run_sync(write_file_3)
    json.loads(await anyio.Path(p).read_text())
    return a, b, c, x
