async def copy(src, dst):
    with open(src, "rb") as source, open(dst, "wb") as target:
        target.write(source.read())
        return source.tell(), target.tell()
