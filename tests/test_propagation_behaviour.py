"""Async propagation keeps behaviour and frees the event loop: original vs migrated.

``tests/behaviour/propagation_sample/shop`` is a two-module package: async handlers in
``api`` call sync helpers of ``prices`` that call ``requests.get``. It is copied twice to
a temporary directory and migrated with ``asyncmig run requests-to-httpx --sync-callers
offload`` and ``... propagate`` (subprocesses, as a user runs them). Against a loopback
server that answers after 300 ms, both migrated packages must return what the original
returns, raise where it raises, and keep the event loop ticking (no gap over 50 ms) while
the helper waits for the server.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from support import migrated_packages, load_module, measure

SAMPLE = Path(__file__).resolve().parent / "behaviour" / "propagation_sample"
MODES = ("offload", "propagate")
STALL_LIMIT = 0.05


server = load_module(SAMPLE / "server.py", "propagation_sample_server", register=True)


@pytest.fixture(scope="module")
def base_url():
    with server.serve() as url:
        yield url


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    yield from migrated_packages(tmp_path_factory, SAMPLE, "shop", "pshop", MODES)


async def _call(module: ModuleType, name: str, *args):
    result = getattr(module, name)(*args)
    try:
        return await result
    finally:
        clients = sys.modules.get(module.__name__.rsplit(".", 1)[0] + ".http_clients")
        if clients is not None:
            await clients.aclose_clients()


def test_offload_runs_the_helpers_in_threads(packages) -> None:
    _api, sources, output = packages["offload"]
    assert sources["prices.py"] == (SAMPLE / "shop" / "prices.py").read_text()  # untouched
    api = sources["api.py"]
    assert "value = await asyncio.to_thread(get_price, base, item)" in api
    assert '"total": await asyncio.to_thread(basket_total, base, items)' in api
    assert "offloaded: get_price" in output and "offloaded: basket_total" in output, output
    assert "http_clients.py" not in sources  # requests stays: nothing async calls it


def test_propagate_makes_the_chain_async(packages) -> None:
    _api, sources, output = packages["propagate"]
    prices, api = sources["prices.py"], sources["api.py"]
    assert "async def get_price(base, item):" in prices
    assert "async def basket_total(base, items):" in prices
    assert 'response = await get_default_client().get(\n        f"{base}/price", params={"item": item}, timeout=5\n    )' in prices
    assert "total += await get_price(base, item)" in prices
    assert "import requests" not in prices
    assert "value = await get_price(base, item)" in api
    assert '"total": await basket_total(base, items)' in api
    assert "http_clients.py" in sources
    assert "made async: get_price" in output and "made async: basket_total" in output, output


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_same_results(packages, base_url, mode) -> None:
    original, migrated = packages["original"][0], packages[mode][0]
    for name, args in (("price", ("apple",)), ("basket", (["fig", "kiwi", "melon"],))):
        expected = await original.__dict__[name](base_url, *args)
        got = await _call(migrated, name, base_url, *args)
        assert got == expected
    assert expected == {"items": 3, "total": 120}  # both sides agree on something meaningful


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_errors_still_raise(packages, base_url, mode) -> None:
    original, migrated = packages["original"][0], packages[mode][0]
    with pytest.raises(Exception) as before:
        await original.price(base_url, "none")
    with pytest.raises(Exception) as after:
        await _call(migrated, "price", base_url, "none")
    assert before.value.response.status_code == after.value.response.status_code == 404


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", MODES)
async def test_the_loop_never_stalls_while_the_helper_runs(packages, base_url, mode) -> None:
    original, migrated = packages["original"][0], packages[mode][0]
    _, stall, _ = await measure(original.price(base_url, "pear"), tick=0.005)
    assert stall >= 0.25  # the measurement sees the blocking original
    await _call(migrated, "price", base_url, "warm-up")  # imports, thread pool, TLS context
    module = migrated.__name__.rsplit(".", 1)[0]
    # A blocking helper stalls >= 300 ms on every attempt; a machine busy with other work
    # (2 shared cores) can delay a wake-up now and then: the best of three attempts counts.
    stalls = []
    try:
        for _attempt in range(3):
            result, stall, _ = await measure(migrated.basket(base_url, ["pear", "plum"]), tick=0.005)
            assert result == {"items": 2, "total": 80}
            stalls.append(stall)
            if stall < STALL_LIMIT:
                break
    finally:
        clients = sys.modules.get(module + ".http_clients")
        if clients is not None:
            await clients.aclose_clients()
    assert min(stalls) < STALL_LIMIT, f"{mode}: event loop stalled {[round(s * 1000) for s in stalls]} ms"
