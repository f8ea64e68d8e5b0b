"""open-to-anyio outside the golden cases: options, propagation context, reports, libcst.tool."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest
from asyncmig.codemods.open_to_anyio import OpenToAnyio
from libcst.codemod import CodemodContext

from asyncmig import registry
from asyncmig.engine import CodemodSpec, transform_source
from asyncmig.errors import UsageError
from asyncmig.models import Change, Environment, Skip


def test_registered_under_its_name() -> None:
    assert registry.get("open-to-anyio") is OpenToAnyio
    assert OpenToAnyio.DESCRIPTION.endswith(".")
    assert OpenToAnyio.option_fields() == [("os_calls", bool, True)]


@pytest.mark.parametrize(("raw", "expected"), [("false", False), ("off", False), ("true", True), (False, False)])
def test_os_calls_option_is_typed(raw: object, expected: bool) -> None:
    assert OpenToAnyio.parse_options({"os_calls": raw}).os_calls is expected


def test_bad_option_value_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="option os_calls of open-to-anyio expects bool"):
        OpenToAnyio.parse_options({"os_calls": "sometimes"})


def test_prefilter_skips_files_without_file_io() -> None:
    assert not OpenToAnyio.could_change(b"async def f():\n    return 1\n", "a.py", Environment())
    assert not OpenToAnyio.could_change(b"def f(p):\n    return open(p).read()\n", "a.py", Environment())
    assert OpenToAnyio.could_change(b"async def f(p):\n    return open(p).read()\n", "a.py", Environment())


def test_changes_and_skips_carry_line_column_and_reason() -> None:
    source = (
        b"import json\n"
        b"\n"
        b"\n"
        b"async def f(path, sink):\n"
        b"    with open(path) as f:\n"
        b"        data = json.load(f)\n"
        b"    with open(path) as g:\n"
        b"        await sink(g)\n"
        b"    return data\n"
    )
    result = transform_source(source, "svc.py", [CodemodSpec.of(OpenToAnyio)])
    assert result.status == "changed"
    why = "blocking file I/O in async code stalls the event loop"
    whole = "; the whole-file method is one worker-thread round trip instead of three (open, read, close)"
    assert result.changes == (
        Change(5, 10, "open-to-anyio",
               "with open(...) block that only calls json.load(f) → await anyio.Path(...).read_text(...)",
               why + whole),
    )
    assert result.skips == (
        Skip(7, 10, "open-to-anyio",
             "the file object g escapes the with block (passed to sink()); left alone"),
    )


def test_function_made_async_by_propagation_is_rewritten() -> None:
    # The propagation step (DESIGN §5) adds ``async`` to the def; this codemod rewrites
    # the body of the functions it names, and only those.
    source = (
        "def read_config(path):\n"
        "    with open(path) as f:\n"
        "        return f.read()\n"
        "\n"
        "\n"
        "def untouched(path):\n"
        "    return open(path).read()\n"
    )
    env = Environment(forced_async=frozenset({("svc.py", "read_config")}))
    codemod = OpenToAnyio(CodemodContext(filename="svc.py"), OpenToAnyio.Options(), env)
    output = codemod.transform_module(cst.parse_module(source)).code
    assert output == (
        "import anyio\n"
        "\n"
        "def read_config(path):\n"
        "    return await anyio.Path(path).read_text()\n"
        "\n"
        "\n"
        "def untouched(path):\n"
        "    return open(path).read()\n"
    )


def test_libcst_tool_runs_it_with_options(tmp_path: Path) -> None:
    target = tmp_path / "svc.py"
    target.write_bytes(
        b"import os\n\n\nasync def f(p):\n    if os.path.exists(p):\n"
        b"        with open(p) as f:\n            return f.read()\n"
    )
    proc = subprocess.run(
        [
            sys.executable, "-m", "libcst.tool", "codemod", "-x", "--no-format",
            "asyncmig.codemods.open_to_anyio.OpenToAnyio", "--os-calls", "false", str(target),
        ],
        cwd=tmp_path, capture_output=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes() == (
        b"import os\n\nimport anyio\n\n\nasync def f(p):\n    if os.path.exists(p):\n"
        b"        return await anyio.Path(p).read_text()\n"
    )


SWALLOWED = (
    "await under the {handler} at line {line}, which swallows errors: it now swallows "
    "the task's cancellation too"
)
SWALLOWED_WHY = (
    "asyncio.CancelledError is a BaseException; re-raise it (except asyncio.CancelledError: "
    "raise) or catch Exception instead"
)


def test_await_under_a_swallowing_except_is_in_the_change_list() -> None:
    source = (
        b"async def save(path, data):\n"
        b"    try:\n"
        b"        with open(path, 'w') as f:\n"
        b"            f.write(data)\n"
        b"    except:\n"
        b"        pass\n"
        b"\n"
        b"\n"
        b"async def load(path):\n"
        b"    try:\n"
        b"        return open(path).read()\n"
        b"    except (OSError, BaseException):\n"
        b"        return None\n"
        b"\n"
        b"\n"
        b"async def fine(path, log):\n"
        b"    try:\n"
        b"        return open(path).read()\n"
        b"    except BaseException:\n"
        b"        log()\n"
        b"        raise\n"
        b"    finally:\n"
        b"        try:\n"
        b"            open(path, 'w').write('')\n"
        b"        except Exception:\n"
        b"            pass\n"
    )
    result = transform_source(source, "svc.py", [CodemodSpec.of(OpenToAnyio)])
    warnings = [c for c in result.changes if "swallows" in c.what]
    assert warnings == [
        Change(3, 9, "open-to-anyio", SWALLOWED.format(handler="except:", line=5), SWALLOWED_WHY),
        Change(11, 16, "open-to-anyio",
               SWALLOWED.format(handler="except (OSError, BaseException):", line=12), SWALLOWED_WHY),
    ]
    assert len(result.changes) == 6  # with, write, two one-liners in fine(), load's, + warnings


def test_loop_block_change_says_how_it_runs() -> None:
    source = (
        b"async def count(path):\n"
        b"    total = 0\n"
        b"    with open(path) as f:\n"
        b"        for line in f:\n"
        b"            total += 1\n"
        b"    return total\n"
    )
    result = transform_source(source, "svc.py", [CodemodSpec.of(OpenToAnyio)])
    assert result.changes == (
        Change(
            3, 10, "open-to-anyio",
            "with block that loops over the file → def read_file() run once by "
            "await anyio.to_thread.run_sync(read_file) (nonlocal total)",
            "blocking file I/O in async code stalls the event loop; the block runs unchanged "
            "in one worker thread (a sync file, no round trip per line)",
        ),
    )
    assert result.skips == ()


def test_scan_lists_os_and_shutil_file_system_calls() -> None:
    from asyncmig.callgraph import extract
    from asyncmig.scan import analyse

    source = (
        b"import os\n"
        b"import shutil\n"
        b"from shutil import rmtree as wipe\n"
        b"\n"
        b"\n"
        b"async def publish(tmp, out):\n"
        b"    os.makedirs(out, exist_ok=True)\n"
        b"    shutil.copy2(tmp, out)\n"
        b"    shutil.copyfile(tmp, out)\n"
        b"    shutil.copytree(tmp, out, dirs_exist_ok=True)\n"
        b"    shutil.move(tmp, out)\n"
        b"    os.rename(out, tmp)\n"
        b"    os.replace(tmp, out)\n"
        b"    os.remove(tmp)\n"
        b"    wipe(tmp)\n"
        b"    return os.path.join(out, 'x'), shutil.which('git')\n"
    )
    result = analyse([extract(source, "svc", "svc.py")])
    assert [(f.line, f.kind, f.codemod) for f in result.findings] == [
        (line, "path-io", "open-to-anyio") for line in range(7, 16)
    ]
