import anyio

async def forward(path, process):
    def read_file():
        with open(path) as f:
            header = f.readline()
            process(f)
        return header

    header = await anyio.to_thread.run_sync(read_file)

    def write_file():
        with open(path, "w") as out:
            print(header, file=out)

    await anyio.to_thread.run_sync(write_file)
