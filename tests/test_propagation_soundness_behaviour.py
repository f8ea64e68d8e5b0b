"""Propagation is sound on helpers that block in more ways than the phase rewrites.

``tests/behaviour/soundness_sample/jobs``: an async handler calls ``warm``, a sync helper
that calls ``requests.get`` and also joins threads (which a requests phase does not
rewrite); another calls ``retry``, a sync helper that calls the callback it is given (a
lambda doing ``requests.get``). Migrated with ``asyncmig run requests-to-httpx
--sync-callers offload`` and ``propagate`` (subprocesses, as a user runs them), neither
helper may become ``async def``: both are offloaded, return what the original returns and
keep the event loop ticking (no gap over 50 ms) against a loopback server answering in
300 ms. The original stalls for the whole call, which proves the measurement.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import migrated_packages, least_stall, measure

HERE = Path(__file__).resolve().parent / "behaviour"
SAMPLE = HERE / "soundness_sample"
MODES = ("offload", "propagate")
STALL_LIMIT = 0.05



@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    yield from migrated_packages(tmp_path_factory, SAMPLE, "jobs", "sjobs", MODES)


@pytest.mark.parametrize("mode", MODES)
def test_nothing_that_still_blocks_becomes_async(packages, mode) -> None:
    _api, sources, output = packages[mode]
    assert sources["work.py"] == (SAMPLE / "jobs" / "work.py").read_text()  # both stay sync
    api = sources["api.py"]
    assert "return await asyncio.to_thread(warm, base, items)" in api
    assert "return await asyncio.to_thread(retry, lambda: fetch_price(base, item), 3)" in api
    if mode == "propagate":
        said = " ".join(output.replace(f"sjobs_{mode}", "jobs").split())  # the terminal wraps lines
        assert "passed as a callback here" not in said, said  # it runs in retry's worker thread
        assert "jobs.work.warm stays sync: it would still block once async: t.join() at jobs/work.py:15" in said, said
        assert "jobs.work.retry stays sync: it would still block once async: time.sleep(0.05)" in said, said


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_same_results_and_no_stall(packages, price_server_url, mode) -> None:
    original, migrated = packages["original"][0], packages[mode][0]
    expected, stall, _ = await measure(original.warm_up(price_server_url, ["fig", "kiwi"]), tick=0.005)
    assert stall >= 0.25  # the measurement sees the blocking original
    assert expected == ([30, 40], 30)
    for name, args in (("warm_up", (["fig", "kiwi"],)), ("priced", ("melon",))):
        want = await getattr(original, name)(price_server_url, *args)
        results, stalls = await least_stall(lambda: getattr(migrated, name)(price_server_url, *args), limit=STALL_LIMIT)
        assert all(got == want for got in results)
        assert min(stalls) < STALL_LIMIT, f"{mode} {name}: loop stalled {[round(s * 1000) for s in stalls]} ms"
