"""threads-to-gather beyond the golden cases: options, environment facts, the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest
from asyncmig.codemods.threads_to_gather import ThreadsToGather
from libcst.codemod import CodemodContext

from asyncmig import registry
from asyncmig.engine import CodemodSpec, transform_source
from asyncmig.errors import UsageError
from asyncmig.models import Environment

FAN_OUT = b"""\
import threading


def fetch(url, out):
    out[url] = url


async def fetch_all(urls):
    out = {}
    threads = [threading.Thread(target=fetch, args=(u, out)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out
"""

MIGRATED_RAISE = b"""\
import asyncio


def fetch(url, out):
    out[url] = url


async def fetch_all(urls):
    out = {}
    await asyncio.gather(*(asyncio.to_thread(fetch, u, out) for u in urls))
    return out
"""


def run(source: bytes, env: Environment | None = None, path: str = "svc.py", **options):
    return transform_source(source, path, [CodemodSpec.of(ThreadsToGather, **options)], env)


def test_registered_under_its_name() -> None:
    assert registry.get("threads-to-gather") is ThreadsToGather


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({}, (None, "preserve")),
        ({"max_concurrency": "8"}, (8, "preserve")),
        ({"max_concurrency": 8, "errors": "raise"}, (8, "raise")),
        ({"max_concurrency": "none"}, (None, "preserve")),
    ],
)
def test_options_are_typed(raw, expected) -> None:
    options = ThreadsToGather.parse_options(raw)
    assert (options.max_concurrency, options.errors) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"errors": "ignore"}, "option errors of threads-to-gather must be one of 'preserve', 'raise'"),
        ({"max_concurrency": "many"}, "option max_concurrency of threads-to-gather expects int"),
        ({"max_concurrency": 0}, "option max_concurrency of threads-to-gather must be at least 1"),
        ({"workers": 2}, "unknown option workers for codemod threads-to-gather"),
    ],
)
def test_bad_options_are_usage_errors(raw, message) -> None:
    with pytest.raises(UsageError) as info:
        ThreadsToGather.parse_options(raw)
    assert str(info.value).startswith(message)


def test_errors_raise_output_exactly() -> None:
    result = run(FAN_OUT, errors="raise")
    assert result.status == "changed"
    assert result.new == MIGRATED_RAISE
    assert [(c.line, c.what) for c in result.changes] == [
        (10, "Thread start/join fan-out → await asyncio.gather(...)")
    ]
    assert result.skips == ()


def test_untouched_file_is_unchanged() -> None:
    source = b"import threading\n\n\nasync def f():\n    return threading.active_count()\n"
    result = run(source)
    assert result.status == "unchanged"
    assert result.changes == () and result.skips == ()


def test_async_functions_setting_resolves_relative_imports() -> None:
    source = b"""\
import threading

from .clients import notify


async def tell(users):
    threads = [threading.Thread(target=notify, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
"""
    env = Environment(settings=(("async_functions", frozenset({"app.clients.notify"})),))
    result = run(source, env, path="app/handlers.py", errors="raise")
    assert result.status == "changed"
    assert b"await asyncio.gather(*(notify(u) for u in users))\n" in result.new


def test_forced_async_function_is_rewritten() -> None:
    """A sync def that propagation makes async counts as async context.

    Making the ``def`` itself ``async def`` is propagation's job, so the codemod is run
    directly (the engine's compile check would rightly refuse ``await`` in a plain def).
    """
    source = FAN_OUT.decode().replace("async def fetch_all", "def fetch_all")
    env = Environment(forced_async=frozenset({("svc.py", "fetch_all")}))
    context = CodemodContext(filename="svc.py", full_module_name="svc")
    codemod = ThreadsToGather(context, ThreadsToGather.parse_options({"errors": "raise"}), env)
    output = codemod.transform_module(cst.parse_module(source)).code
    assert output == MIGRATED_RAISE.decode().replace("async def fetch_all", "def fetch_all")
    assert len(codemod.changes) == 1 and codemod.skips == []


def test_fan_out_in_sync_code_is_reported_with_reason() -> None:
    source = FAN_OUT.replace(b"async def fetch_all", b"def fetch_all") + b"\n\nasync def main():\n    pass\n"
    result = run(source)
    assert result.status == "unchanged"
    assert [(s.line, s.reason) for s in result.skips] == [
        (
            10,
            (
                "thread fan-out in sync code: only async code is rewritten "
                "(make the function async first, or let propagation do it)"
            ),
        )
    ]


def test_migrated_code_never_imports_asyncmig() -> None:
    for options in ({}, {"max_concurrency": 3}, {"errors": "raise"}):
        result = run(FAN_OUT, **options)
        assert b"asyncmig" not in result.new
        compile(result.new, "svc.py", "exec")


def asyncmig(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "asyncmig", *args], cwd=cwd, capture_output=True, timeout=120, check=False
    )


def test_cli_run_rewrites_with_option(tmp_path: Path) -> None:
    (tmp_path / "svc.py").write_bytes(FAN_OUT)
    proc = asyncmig(tmp_path, "run", "threads-to-gather", "--option", "errors=raise", "svc.py")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "svc.py").read_bytes() == MIGRATED_RAISE
    # A second run finds nothing left to do.
    again = asyncmig(tmp_path, "run", "threads-to-gather", "--option", "errors=raise", "svc.py")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "svc.py").read_bytes() == MIGRATED_RAISE


def test_cli_bad_option_exit_2(tmp_path: Path) -> None:
    (tmp_path / "svc.py").write_bytes(FAN_OUT)
    proc = asyncmig(tmp_path, "run", "threads-to-gather", "--option", "max_concurrency=0", "svc.py")
    assert proc.returncode == 2
    assert b"max_concurrency of threads-to-gather must be at least 1" in proc.stderr
    assert (tmp_path / "svc.py").read_bytes() == FAN_OUT


def test_libcst_tool_runs_it_with_options(tmp_path: Path) -> None:
    target = tmp_path / "svc.py"
    target.write_bytes(FAN_OUT)
    proc = subprocess.run(
        [
            sys.executable, "-m", "libcst.tool", "codemod", "-x", "--no-format",
            "asyncmig.codemods.threads_to_gather.ThreadsToGather", "--errors", "raise", str(target),
        ],
        cwd=tmp_path, capture_output=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes() == MIGRATED_RAISE
