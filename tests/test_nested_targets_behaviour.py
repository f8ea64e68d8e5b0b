"""Nested thread targets migrate with their caller: requests-to-httpx + threads-to-gather.

``tests/behaviour/nested_targets/hooks/prices.py`` fans out to a nested ``def`` that calls
``requests.get``. Run as one phase with both codemods under ``propagate``, the nested def
becomes ``async def`` posting with the shared client and the fan-out a gather over it (no
thread, no ``asyncio.to_thread`` of a coroutine function). Against a loopback server
answering in 300 ms it returns what the original returns and the event loop never goes
50 ms without ticking; the original stalls for the whole fan-out.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import pytest

from asyncmig import propagate, registry
from asyncmig.engine import CodemodSpec
from asyncmig.engine import run as run_engine
from support import least_stall, measure

HERE = Path(__file__).resolve().parent / "behaviour"
SAMPLE = HERE / "nested_targets"
STALL_LIMIT = 0.05



@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    work = tmp_path_factory.mktemp("nested")
    shutil.copytree(SAMPLE / "hooks", work / "nhooks")
    specs = [CodemodSpec.of(registry.get(n)) for n in ("requests-to-httpx", "threads-to-gather")]
    specs, env, files = propagate.prepare_paths(specs, None, work, [work], settings=propagate.Settings("propagate"))
    result = run_engine(specs, [work], work, env=env, jobs=1, write=True, files=files)
    assert not [f for f in result.files if f.status == "error"]
    migrated = (work / "nhooks" / "prices.py").read_text()
    assert "async def fetch(item):" in migrated and "*(fetch(item) for item in items)," in migrated
    assert "import threading" not in migrated and "to_thread(" not in migrated and "import requests" not in migrated
    sys.path.insert(0, str(SAMPLE))
    sys.path.insert(0, str(work))
    try:
        original = importlib.import_module("hooks.prices")
        after = importlib.import_module("nhooks.prices")
    finally:
        sys.path.remove(str(SAMPLE))
        sys.path.remove(str(work))
    yield original, after
    for key in [n for n in sys.modules if n.startswith(("nhooks", "hooks"))]:
        del sys.modules[key]


@pytest.mark.asyncio
async def test_same_results_and_no_stall(modules, price_server_url) -> None:
    original, migrated = modules
    items = ["fig", "kiwi", "melon"]
    want, stall, _ = await measure(original.prices(price_server_url, items), tick=0.005)
    assert stall >= 0.25 and want == {"fig": 30, "kiwi": 40, "melon": 50}
    clients = sys.modules["nhooks.http_clients"]
    try:
        await migrated.prices(price_server_url, ["warm"])  # imports, TLS context
        results, stalls = await least_stall(lambda: migrated.prices(price_server_url, items), limit=STALL_LIMIT)
        assert all(got == want for got in results)
    finally:
        await clients.aclose_clients()
    assert min(stalls) < STALL_LIMIT, f"loop stalled {[round(s * 1000) for s in stalls]} ms"
