"""threads-to-gather on fan-outs as real code writes them keeps results and frees the loop.

``tests/behaviour/fanout_shapes/shapes.py``: threads built by the caller and started and
joined in chunks by a helper, ``list(POOL.map(lambda ...))`` on a module-level executor,
and ``return list(pool.map(lambda ...))`` inside ``with ThreadPoolExecutor()``; each task
calls a loopback server answering in 300 ms. Migrated with ``asyncmig run
threads-to-gather`` (a subprocess), every fan-out is rewritten, returns what the original
returns, and the event loop never goes 50 ms without ticking (the original stalls for the
whole fan-out, which proves the measurement).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support import least_stall, load_module, measure

HERE = Path(__file__).resolve().parent / "behaviour"
SUBJECT = HERE / "fanout_shapes" / "shapes.py"
STALL_LIMIT = 0.05



@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    work = tmp_path_factory.mktemp("shapes")
    (work / "shapes.py").write_bytes(SUBJECT.read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "asyncmig", "run", "threads-to-gather", "shapes.py"],
        cwd=work, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stderr.split())
    assert "rewrote shapes.py: 3 changes" in said and ", 0 skips, 0 errors" in said, said
    migrated = (work / "shapes.py").read_text()
    assert "chunk_threads(threads)" not in migrated and "POOL.map(" not in migrated and "pool.map(" not in migrated
    return load_module(SUBJECT, "fanout_shapes_original"), load_module(work / "shapes.py", "fanout_shapes_migrated")


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["crawl", "lookup_all", "lookup_with"])
async def test_same_results_and_no_stall(modules, price_server_url, name) -> None:
    original, migrated = modules
    items = ["fig", "kiwi", "melon", "pear"]
    want, stall, _ = await measure(getattr(original, name)(price_server_url, items), tick=0.005)
    assert stall >= 0.25  # the original blocks the loop for the fan-out
    results, stalls = await least_stall(lambda: getattr(migrated, name)(price_server_url, items), limit=STALL_LIMIT)
    assert all(got == want for got in results)
    assert min(stalls) < STALL_LIMIT, f"{name}: loop stalled {[round(s * 1000) for s in stalls]} ms"
