from . import store


def load_all(keys):
    found = []
    for key in keys:
        found.append(store.load(key))
    return found


def describe(keys):
    return f"{len(load_all(keys))} records"
