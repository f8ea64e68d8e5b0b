async def forward(path, process):
    with open(path) as f:
        header = f.readline()
        process(f)
    with open(path, "w") as out:
        print(header, file=out)
