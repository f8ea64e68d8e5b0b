import pathlib


class Store:
    def read_text(self):
        return ""


async def unknown(store, path, maybe):
    store.read_text()
    path.read_text()
    maybe = pathlib.Path(maybe) if maybe else store
    maybe.read_text()
    return Store().read_text()
