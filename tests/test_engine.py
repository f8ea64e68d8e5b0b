"""The engine on awkward files: encodings, line endings, broken input, writes."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from asyncmig.codemods.sleep_to_asyncio import SleepToAsyncio
from asyncmig.engine import ROUND_TRIP_REASON, CodemodSpec, run, transform_source

SPEC = CodemodSpec.of(SleepToAsyncio)
ASYNC_SLEEP = "import time\n\n\nasync def f():\n    time.sleep(1)\n"
MIGRATED = "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"


def transform(source: bytes, path: str = "m.py"):
    return transform_source(source, path, [SPEC])


def test_plain_rewrite() -> None:
    result = transform(ASYNC_SLEEP.encode())
    assert result.status == "changed"
    assert result.new == MIGRATED.encode()
    assert [(c.line, c.col, c.codemod) for c in result.changes] == [(5, 5, "sleep-to-asyncio")]


def test_crlf_kept() -> None:
    source = ASYNC_SLEEP.replace("\n", "\r\n").encode()
    result = transform(source)
    assert result.new == MIGRATED.replace("\n", "\r\n").encode()


def test_bom_kept() -> None:
    source = codecs.BOM_UTF8 + ("# é\n" + ASYNC_SLEEP).encode()
    result = transform(source)
    assert result.new == codecs.BOM_UTF8 + ("# é\n" + MIGRATED).encode()


def test_latin1_cookie_kept() -> None:
    source = ("# -*- coding: latin-1 -*-\n" + ASYNC_SLEEP + "NAME = 'café'\n").encode("latin-1")
    result = transform(source)
    assert result.status == "changed"
    assert result.new == ("# -*- coding: latin-1 -*-\n" + MIGRATED + "NAME = 'café'\n").encode("latin-1")


def test_tabs_and_trailing_whitespace_kept() -> None:
    source = b"import time   \n\n\nasync def f():\n\tx = 1  \n\ttime.sleep(1)\t\n\treturn x\n"
    result = transform(source)
    assert result.new == b"import asyncio\n\n\nasync def f():\n\tx = 1  \n\tawait asyncio.sleep(1)\t\n\treturn x\n"


def test_no_newline_at_eof_kept() -> None:
    result = transform(ASYNC_SLEEP.rstrip("\n").encode())
    assert result.new == MIGRATED.rstrip("\n").encode()


def test_unparseable_file_is_reported() -> None:
    result = transform(b"async def f(:\n    time.sleep(1)\n")
    assert result.status == "error"
    assert result.error.startswith("cannot parse:")
    assert result.new is None


def test_undecodable_bytes_are_reported() -> None:
    result = transform(b"import time\nasync def f():\n    time.sleep(1)  # \xff\xfe\n")
    assert result.status == "error"
    assert result.error.startswith("cannot decode:")


def test_empty_file_unchanged() -> None:
    assert transform(b"").status == "unchanged"


def test_round_trip_guard_leaves_file_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # LibCST 1.9 drops the space in `except (...) :`; simulate any such loss.
    import libcst

    real = libcst.Module.bytes
    monkeypatch.setattr(libcst.Module, "bytes", property(lambda self: real.fget(self).replace(b"  ", b" ")))
    source = b"import time\n\n\nasync def f():\n    x = 1  # two  spaces\n    time.sleep(1)\n"
    result = transform(source)
    assert result.status == "skipped"
    assert result.skips[0].reason == ROUND_TRIP_REASON
    assert result.new is None


def test_output_that_does_not_compile_is_not_written(tmp_path: Path) -> None:
    # `await` in a sync function cannot compile: forcing the context shows the check works.
    from asyncmig.models import Environment

    env = Environment(forced_async=frozenset({("m.py", "f")}))
    source = b"import time\n\n\ndef f():\n    time.sleep(1)\n"
    result = transform_source(source, "m.py", [SPEC], env)
    assert result.status == "error"
    assert "does not compile" in result.error


def test_run_writes_atomically_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "svc.py"
    target.write_bytes(ASYNC_SLEEP.encode())
    target.chmod(0o754)
    untouched = tmp_path / "other.py"
    untouched.write_bytes(b"import time\ntime.sleep(1)\n")
    result = run([SPEC], [tmp_path], tmp_path, write=True, jobs=1)
    assert target.read_bytes() == MIGRATED.encode()
    assert os.stat(target).st_mode & 0o777 == 0o754
    assert untouched.read_bytes() == b"import time\ntime.sleep(1)\n"
    assert [f.path for f in result.changed] == ["svc.py"]
    assert result.scanned == 2 and result.parsed == 1
    assert not list(tmp_path.glob(".*.asyncmig"))


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "svc.py"
    target.write_bytes(ASYNC_SLEEP.encode())
    before = target.stat().st_mtime_ns
    result = run([SPEC], [tmp_path], tmp_path, write=False, jobs=1)
    assert result.changed[0].new == MIGRATED.encode()
    assert target.read_bytes() == ASYNC_SLEEP.encode()
    assert target.stat().st_mtime_ns == before


def test_bad_files_do_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "a_broken.py").write_bytes(b"async def f(:\n  sleep\n")
    (tmp_path / "b_bytes.py").write_bytes(b"import time\nasync def f():\n    time.sleep(1)  # \xff\n")
    (tmp_path / "c_good.py").write_bytes(ASYNC_SLEEP.encode())
    result = run([SPEC], [tmp_path], tmp_path, write=True, jobs=2)
    assert [(f.path, f.status) for f in result.files] == [
        ("a_broken.py", "error"),
        ("b_bytes.py", "error"),
        ("c_good.py", "changed"),
    ]
    assert (tmp_path / "a_broken.py").read_bytes() == b"async def f(:\n  sleep\n"
    assert (tmp_path / "c_good.py").read_bytes() == MIGRATED.encode()


class _FinalizeRaises(SleepToAsyncio):
    """A codemod whose end-of-run step has a bug."""

    @classmethod
    def finalize(cls, options, env, root, results):
        raise KeyError("boom")


def test_a_finalize_that_raises_leaves_its_files_untouched(tmp_path: Path) -> None:
    """A codemod's finalize (the shared-client module, the tests' mocks) may be what its
    rewrites rely on: when it raises, each file it changed is reported and nothing written."""
    (tmp_path / "svc.py").write_bytes(ASYNC_SLEEP.encode())
    (tmp_path / "plain.py").write_bytes(b"import time\n")
    result = run([CodemodSpec.of(_FinalizeRaises)], [tmp_path], tmp_path, write=True, jobs=1)
    assert [(f.path, f.status, f.error) for f in result.files] == [
        ("svc.py", "error", "sleep-to-asyncio failed while finishing the run: KeyError: 'boom'"),
    ]
    assert (tmp_path / "svc.py").read_bytes() == ASYNC_SLEEP.encode()


def test_process_pool_gives_the_same_results(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"m{i:02}.py").write_bytes(ASYNC_SLEEP.encode())
    serial = run([SPEC], [tmp_path], tmp_path, jobs=1)
    pooled = run([SPEC], [tmp_path], tmp_path, jobs=2)
    assert serial.files == pooled.files
    assert len(pooled.changed) == 12


def test_file_changed_during_run_is_not_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncmig.engine as engine

    target = tmp_path / "svc.py"
    target.write_bytes(ASYNC_SLEEP.encode())
    real = engine._work

    def work_then_edit(args):
        result = real(args)
        target.write_bytes(b"# edited meanwhile\n" + ASYNC_SLEEP.encode())
        return result

    monkeypatch.setattr(engine, "_work", work_then_edit)
    result = run([SPEC], [tmp_path], tmp_path, write=True, jobs=1)
    assert result.files[0].status == "error"
    assert "changed on disk" in result.files[0].error
    assert target.read_bytes() == b"# edited meanwhile\n" + ASYNC_SLEEP.encode()


def test_prefilter_skips_files_without_async_def(tmp_path: Path) -> None:
    (tmp_path / "sync_only.py").write_bytes(b"import time\ndef f():\n    time.sleep(1)\n")
    (tmp_path / "no_sleep.py").write_bytes(b"async def f():\n    pass\n")
    result = run([SPEC], [tmp_path], tmp_path, jobs=1)
    assert result.scanned == 2 and result.parsed == 0


def test_round_trip_guard_on_real_libcst_loss() -> None:
    # LibCST 1.9 drops the space in `except (...) :` (as in the stdlib's webbrowser.py).
    import libcst

    probe = "try:\n    pass\nexcept (ValueError, TypeError) :\n    pass\n"
    if libcst.parse_module(probe).code == probe:  # a LibCST that round-trips it
        expected_status = "changed"
    else:
        expected_status = "skipped"
    source = (
        b"import time\n\n\nasync def f():\n    try:\n        time.sleep(1)\n"
        b"    except (ValueError, TypeError) :\n        pass\n"
    )
    result = transform(source)
    assert result.status == expected_status
    if expected_status == "skipped":
        assert result.skips[0].reason == ROUND_TRIP_REASON and result.new is None
