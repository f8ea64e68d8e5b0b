async def one_liners(path, text, blob):
    content = open(path).read()
    raw = open(path, "rb").read()
    decoded = open(path, encoding="utf-8", errors="strict").read()
    written = open(path, "w", encoding="utf-8").write(text)
    open(path, "wb").write(blob)
    open(path, "w", newline="\r\n").write(text)
    first = open(path).read().splitlines()[0]
    open(path, "a").write(text)
    open(path, newline="").read()
    return content, raw, decoded, written, first
