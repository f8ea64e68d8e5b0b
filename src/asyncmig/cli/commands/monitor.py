"""``asyncmig monitor``: generate the event-loop lag monitor module (``[monitor]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from asyncmig.cli.state import STATE
from asyncmig.config import MonitorConfig, default_monitor_module, find_config, load_plan
from asyncmig.discovery import find_root

WIRING = """Wire it into the app's lifespan, next to the shared clients:

    from {module} import loop_monitor_lifespan
    app = FastAPI(lifespan=loop_monitor_lifespan)      # or Starlette(lifespan=...)

    # with another lifespan (e.g. clients_lifespan):
    @contextlib.asynccontextmanager
    async def lifespan(app):
        async with loop_monitor_lifespan(app), clients_lifespan(app):
            yield

With prometheus_client installed, the histogram {metric} is in the default
registry (e.g. app.mount("/metrics", prometheus_client.make_asgi_app())); without
it, lags of {warn_ms:g} ms or more are logged as warnings."""


def monitor(
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Module path (default: [monitor] module, else loop_monitor.py).")
    ] = None,
    interval: Annotated[Optional[float], typer.Option("--interval", min=0.001, help="Seconds between measurements.")] = None,
    warn_after: Annotated[Optional[float], typer.Option("--warn-after", min=0.001, help="Seconds of lag logged as a warning.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a file asyncmig did not generate.")] = False,
) -> None:
    """Write the event-loop lag monitor module (a prometheus_client Histogram when installed, logging otherwise)."""
    from asyncmig import monitor as generator
    from asyncmig.loop_monitor import METRIC

    config_path = STATE.config or find_config(Path.cwd())
    settings = MonitorConfig(module="loop_monitor.py")
    root = find_root(Path.cwd())
    if config_path is not None:
        plan = load_plan(Path(config_path))
        root = Path(plan.root)
        settings = plan.monitor or MonitorConfig(module=default_monitor_module(plan.migration))
    path = output if output is not None else root / settings.module
    text = generator.render(
        interval if interval is not None else settings.interval,
        warn_after if warn_after is not None else settings.warn_after,
    )
    written = generator.write(path, text, force=force)
    console = Console(stderr=True, highlight=False)
    console.print(f"{written.state} {path}", markup=False, soft_wrap=True)
    module = _module_name(path, root)
    warn = (warn_after if warn_after is not None else settings.warn_after) * 1000
    console.print(WIRING.format(module=module, metric=METRIC, warn_ms=warn), markup=False, soft_wrap=True)


def _module_name(path: Path, root: Path) -> str:
    """The import name of ``path``: up through the folders that are packages."""
    path = path.resolve()
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").exists() and folder != root.resolve():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)
