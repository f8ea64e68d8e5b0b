"""Helpers shared by the behaviour tests: loading a module from a file, timing the loop."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TypeVar

T = TypeVar("T")


def load_module(path: Path, name: str, *, register: bool = False) -> ModuleType:
    """Import the file at ``path`` as a module called ``name``.

    ``register`` puts it in ``sys.modules`` first (needed when the module's own imports,
    or pickling, look it up by name).
    """
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    if register:
        sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


async def measure(work: Awaitable[T], tick: float = 0.01) -> tuple[T, float, float]:
    """Await ``work`` next to a ticker: (its result, longest gap between ticks, seconds).

    The longest gap is how long the event loop could not run anything else: a blocking
    call shows up as a gap as long as the call.
    """
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(tick)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(2 * tick)  # the ticker runs before the work starts
    started = time.perf_counter()
    try:
        result = await work
    finally:
        elapsed = time.perf_counter() - started
        done.set()
        await task
    return result, max(gaps), elapsed


PRICE_SERVER = Path(__file__).resolve().parent / "behaviour" / "propagation_sample" / "server.py"


def price_server() -> ModuleType:
    """The loopback price server of the behaviour tests (``GET /price?item=NAME`` answers
    ``{"price": len(NAME) * 10}`` after 300 ms), loaded once."""
    name = "behaviour_price_server"
    return sys.modules.get(name) or load_module(PRICE_SERVER, name, register=True)


async def least_stall(make, tick: float = 0.005, limit: float = 0.05, tries: int = 3) -> tuple[list, list[float]]:
    """Run ``make()`` (a fresh awaitable each time) next to a ticker until one run's longest
    loop gap is under ``limit`` (a busy shared machine delays a wake-up now and then; a
    blocking call stalls every time): (each run's result, each run's longest gap)."""
    results, stalls = [], []
    for _attempt in range(tries):
        result, stall, _ = await measure(make(), tick=tick)
        results.append(result)
        stalls.append(stall)
        if stall < limit:
            break
    return results, stalls


def migrated_packages(
    tmp_path_factory, sample: Path, package: str, copy_prefix: str, modes: tuple[str, ...]
) -> Iterator[dict[str, tuple[ModuleType, dict[str, str], str]]]:
    """{"original" | mode: (api module, {file name: migrated source}, run output)}.

    ``sample/package`` is imported as it is, then copied once per mode (as
    ``<copy_prefix>_<mode>``) and migrated with ``asyncmig run requests-to-httpx
    --sync-callers <mode>`` in a subprocess, as a user runs it. For a module-scoped
    fixture: ``yield from migrated_packages(...)``; the imported modules go afterwards.
    """
    found = {}
    sys.path.insert(0, str(sample))
    try:
        found["original"] = (importlib.import_module(f"{package}.api"), {}, "")
    finally:
        sys.path.remove(str(sample))
    for mode in modes:
        work = tmp_path_factory.mktemp(f"{copy_prefix}_{mode}")
        name = f"{copy_prefix}_{mode}"
        shutil.copytree(sample / package, work / name)
        proc = subprocess.run(
            [sys.executable, "-m", "asyncmig", "run", "requests-to-httpx", name, "--sync-callers", mode],
            cwd=work, capture_output=True, text=True, timeout=120, check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        sources = {p.name: p.read_text() for p in sorted((work / name).glob("*.py"))}
        sys.path.insert(0, str(work))
        try:
            found[mode] = (importlib.import_module(f"{name}.api"), sources, proc.stdout + proc.stderr)
        finally:
            sys.path.remove(str(work))
    yield found
    for key in [n for n in sys.modules if n.startswith((f"{copy_prefix}_", package))]:
        del sys.modules[key]
