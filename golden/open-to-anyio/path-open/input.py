from pathlib import Path


async def append(directory: Path, line):
    with (directory / "log.txt").open("a", encoding="utf-8") as f:
        f.write(line)
    with Path(directory, "empty").open() as f:
        return f.read()
