from pathlib import Path

import anyio

UPLOADS = Path("/srv/uploads")


async def store(name: str, blob: bytes, incoming: Path):
    folder = UPLOADS / name[:2]
    await anyio.Path(folder).mkdir(parents=True, exist_ok=True)
    target = folder / name
    if await anyio.Path(target).exists() and (await anyio.Path(target).stat()).st_size == len(blob):
        return False
    await anyio.Path(target).write_bytes(blob)
    await anyio.Path(folder / ".stamp").touch()
    if await anyio.Path(incoming).is_file():
        await anyio.Path(incoming).unlink(missing_ok=True)
    elif await anyio.Path(incoming).is_dir():
        await anyio.Path(incoming).rmdir()
    renamed = target.rename(target.with_suffix(".bin"))
    return [p.name for p in folder.iterdir()], renamed
