async def merge(a, b, out):
    with (
        open(a) as first,
        open(b) as second,
        open(out, "w") as target,
    ):
        target.write(first.read() + second.read())
