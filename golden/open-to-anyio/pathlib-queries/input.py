from pathlib import Path

UPLOADS = Path("/srv/uploads")


async def store(name: str, blob: bytes, incoming: Path):
    folder = UPLOADS / name[:2]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.exists() and target.stat().st_size == len(blob):
        return False
    target.write_bytes(blob)
    (folder / ".stamp").touch()
    if incoming.is_file():
        incoming.unlink(missing_ok=True)
    elif incoming.is_dir():
        incoming.rmdir()
    renamed = target.rename(target.with_suffix(".bin"))
    return [p.name for p in folder.iterdir()], renamed
