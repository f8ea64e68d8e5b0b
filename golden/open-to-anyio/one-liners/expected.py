import anyio

async def one_liners(path, text, blob):
    content = await anyio.Path(path).read_text()
    raw = await anyio.Path(path).read_bytes()
    decoded = await anyio.Path(path).read_text(encoding="utf-8", errors="strict")
    written = await anyio.Path(path).write_text(text, encoding="utf-8")
    await anyio.Path(path).write_bytes(blob)
    await anyio.Path(path).write_text(text, newline="\r\n")
    first = (await anyio.Path(path).read_text()).splitlines()[0]
    open(path, "a").write(text)
    open(path, newline="").read()
    return content, raw, decoded, written, first
