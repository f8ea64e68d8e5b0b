from pathlib import Path

DATA = Path(__file__).parent / "data"


async def pathlib_io(name: str, target: Path, text: str):
    config = Path("config.toml").read_text(encoding="utf-8")
    blob = (DATA / name).read_bytes()
    (DATA / "out" / name).write_bytes(blob)
    target.write_text(text, encoding="utf-8", newline="\n")
    report = target.with_suffix(".md")
    report.write_text(config)
    home = Path.home().joinpath(".app", name).read_text()
    size = len(Path(name).read_text().splitlines())
    return config, home, size
