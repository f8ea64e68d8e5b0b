"""Dedicated executors: which offloads go where, and the generated module at run time."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest

from support import load_module, measure

from asyncmig.config import ClientConfig, ExecutorConfig
from asyncmig.executors import executor_for, module_path, render
from asyncmig.models import Environment

CRITICAL = ExecutorConfig(name="critical", max_workers=2, match=("app.conversations.*",))
STORAGE = ExecutorConfig(name="storage", max_workers=1, match=("save_*", "app.storage.Bucket.put"))


@pytest.mark.parametrize(
    "helper,expected",
    [
        ("app.conversations.process.process_conversation", "critical"),
        ("app.conversations.summary", "critical"),
        ("app.storage.save_audio", "storage"),  # a pattern without a dot matches the last name
        ("app.storage.Bucket.put", "storage"),
        ("app.storage.Bucket.get", None),
        ("app.conversation_utils.x", None),
    ],
)
def test_executor_for(helper, expected) -> None:
    found = executor_for((CRITICAL, STORAGE), helper)
    assert (found.name if found else None) == expected


def test_module_path_follows_the_configuration() -> None:
    packages = {"app", "app/api", "app/utils"}
    is_pkg = packages.__contains__
    bare = Environment(settings=(("executors", (CRITICAL,)),))
    assert module_path(bare, "app/api/x.py", is_pkg) == "app/executors.py"
    beside = Environment(settings=(
        ("executors", (CRITICAL,)), ("clients", (ClientConfig(module="app/utils/http_client.py"),)),
    ))
    assert module_path(beside, "app/api/x.py", is_pkg) == "app/utils/executors.py"
    own = Environment(settings=(("executors", (ExecutorConfig("critical", 2, ("x",), "app/pools.py"),)),))
    assert module_path(own, "app/api/x.py", is_pkg) == "app/pools.py"


@pytest.fixture()
def pools(tmp_path: Path) -> ModuleType:
    path = tmp_path / "generated_executors.py"
    path.write_bytes(render((CRITICAL, STORAGE)))
    module = load_module(path, "generated_executors")
    yield module
    module.shutdown_executors()


def test_module_public_api(pools) -> None:
    assert pools.__all__ == sorted(pools.__all__)
    assert {n for n in pools.__all__ if n.startswith(("get_", "run_in_"))} == {
        "get_critical_executor", "get_storage_executor", "get_executor",
        "run_in_critical_executor", "run_in_storage_executor", "run_in_executor",
    }
    assert pools.EXECUTOR_WORKERS == {"critical": 2, "storage": 1}
    with pytest.raises(KeyError, match="unknown executor 'nope' \\(configured: critical, storage\\)"):
        pools.get_executor("nope")


class _Refuse(ThreadPoolExecutor):
    def submit(self, *args, **kwargs):  # noqa: D401
        raise AssertionError("the default executor was used")


@pytest.mark.asyncio
async def test_offloads_run_on_their_pool_never_the_default(pools) -> None:
    asyncio.get_running_loop().set_default_executor(_Refuse(max_workers=1))
    request_id = contextvars.ContextVar("request_id")
    request_id.set("r-42")
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def work(n, *, scale=1):
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.03)
        with lock:
            state["now"] -= 1
        return n * scale, threading.current_thread().name, request_id.get()

    results, stall, _ = await measure(
        asyncio.gather(*(pools.run_in_critical_executor(work, n, scale=10) for n in range(8)))
    )
    assert [r[0] for r in results] == [n * 10 for n in range(8)]
    assert all(name.startswith("critical") for _, name, _ in results)
    assert {r[2] for r in results} == {"r-42"}  # context variables travel like to_thread's
    assert state["peak"] == 2  # max_workers
    assert stall < 0.05, f"the loop stalled {stall * 1000:.0f} ms"
    _, name, _ = await pools.run_in_storage_executor(work, 1)
    assert name.startswith("storage")


@pytest.mark.asyncio
async def test_lifespan_shuts_the_pools_down_and_a_later_call_gets_fresh_ones(pools) -> None:
    async with pools.executors_lifespan(object()):
        first = pools.get_critical_executor()
        assert await pools.run_in_critical_executor(lambda: 7) == 7
    assert first._shutdown
    again = pools.get_critical_executor()
    assert again is not first and await pools.run_in_critical_executor(lambda: 8) == 8
