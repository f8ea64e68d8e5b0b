class Holder:
    async def keep(self, path):
        with open(path) as f:
            self.handle = f

    async def give(self, path):
        with open(path) as f:
            return f

    async def collect(self, paths, handles):
        for path in paths:
            with open(path) as f:
                handles.append((path, f))

    async def stream(self, path):
        with open(path) as f:
            yield f

    async def later(self, path):
        with open(path) as f:
            pass
        return f.name, f.closed, f
