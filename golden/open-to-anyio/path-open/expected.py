from pathlib import Path

import anyio


async def append(directory: Path, line):
    async with await anyio.open_file(directory / "log.txt", "a", encoding="utf-8") as f:
        await f.write(line)
    return await anyio.Path(Path(directory, "empty")).read_text()
