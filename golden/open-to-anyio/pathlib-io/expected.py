from pathlib import Path

import anyio

DATA = Path(__file__).parent / "data"


async def pathlib_io(name: str, target: Path, text: str):
    config = await anyio.Path("config.toml").read_text(encoding="utf-8")
    blob = await anyio.Path(DATA / name).read_bytes()
    await anyio.Path(DATA / "out" / name).write_bytes(blob)
    await anyio.Path(target).write_text(text, encoding="utf-8", newline="\n")
    report = target.with_suffix(".md")
    await anyio.Path(report).write_text(config)
    home = await anyio.Path(Path.home().joinpath(".app", name)).read_text()
    size = len((await anyio.Path(name).read_text()).splitlines())
    return config, home, size
