import json

import anyio


async def save(path, load_state, obj, state):
    def write_file():
        with open(path, "w", encoding="utf-8") as f:
            json.dump(obj, f, default=lambda o: str(o))

    await anyio.to_thread.run_sync(write_file)

    def write_file_2():
        with open(path + ".bak", "w") as f:
            json.dump(state["data"], f)

    await anyio.to_thread.run_sync(write_file_2)
    await anyio.Path(path).write_text(json.dumps(await load_state()))
    await anyio.Path(path).write_text(json.dumps(load_state.cached()))
    await anyio.Path(path).write_text(json.dumps((state := obj)))
    print("saving"); await anyio.Path(path).write_text(json.dumps(obj))
    json.dump(obj, open(path, "w"))  # asyncmig: skip
    return state
