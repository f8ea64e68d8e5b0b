import json


async def save(path, load_state, obj, state):
    json.dump(obj, open(path, "w", encoding="utf-8"), default=lambda o: str(o))
    json.dump(state["data"], open(path + ".bak", "w"))
    json.dump(await load_state(), open(path, "w"))
    json.dump(load_state.cached(), open(path, "w"))
    json.dump((state := obj), open(path, "w"))
    print("saving"); json.dump(obj, open(path, "w"))
    json.dump(obj, open(path, "w"))  # asyncmig: skip
    return state
