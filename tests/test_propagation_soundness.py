"""Propagation never makes a function async that still blocks: it is offloaded instead.

The golden cases ``still-blocking-fallback`` and ``callable-parameter-offload`` pin the
rewrites; these tests pin the plan's reasons, each rule on its own, and the dry pass that
looks at the rewritten code.
"""

from __future__ import annotations

from asyncmig import propagate
from asyncmig.engine import CodemodSpec
from asyncmig.models import Environment
from asyncmig.registry import get

APP = b"from pkg.helpers import pause\n\n\nasync def handler(x):\n    return pause(x)\n"


def plan_of(helpers: bytes, codemods=("sleep-to-asyncio",), app: bytes = APP) -> propagate.PropagationPlan:
    sources = {"pkg/__init__.py": b"", "pkg/helpers.py": helpers, "pkg/app.py": app}
    return propagate.analyse(sources, codemods, propagate.Settings("propagate"))


def stays_sync(plan: propagate.PropagationPlan) -> dict[str, str]:
    return {d.function: d.why.partition("; stays sync: ")[2] for d in plan.decisions if d.outcome == "offload"}


def test_a_clean_helper_still_propagates() -> None:
    plan = plan_of(b"import time\n\n\ndef pause(x):\n    time.sleep(x)\n")
    assert plan.forced_async == frozenset({("pkg/helpers.py", "pause")})


def test_a_site_no_codemod_of_the_phase_rewrites_keeps_the_helper_sync() -> None:
    helpers = b"import subprocess\nimport time\n\n\ndef pause(x):\n    time.sleep(x)\n    subprocess.run(['true'])\n"
    plan = plan_of(helpers)
    assert plan.forced_async == frozenset()
    assert stays_sync(plan) == {
        "pkg.helpers.pause": "it would still block once async: subprocess.run(['true']) at pkg/helpers.py:7 "
        "(no codemod of this phase rewrites subprocess calls)"
    }
    # the async caller offloads it instead
    (app,) = [f for f in plan.files if f.path == "pkg/app.py"]
    assert [(s.line, s.action) for s in app.sites] == [(5, "offload")]


def test_a_skipped_site_still_blocks() -> None:
    helpers = b"import time\n\n\ndef pause(x):\n    time.sleep(x)\n    time.sleep(1)  # asyncmig: skip\n"
    assert stays_sync(plan_of(helpers)) == {
        "pkg.helpers.pause": "it would still block once async: time.sleep(1) at pkg/helpers.py:6 (marked # asyncmig: skip)"
    }


def test_a_join_outside_a_threads_phase_still_blocks() -> None:
    helpers = (
        b"import threading\nimport time\n\n\ndef pause(threads):\n    time.sleep(1)\n"
        b"    [t.join() for t in threads]\n"
    )
    plan = plan_of(helpers, app=APP.replace(b"pause(x)", b"pause([threading.Thread()])"))
    assert stays_sync(plan)["pkg.helpers.pause"].startswith(
        "it would still block once async: t.join() at pkg/helpers.py:7 (no codemod of this phase rewrites thread-join calls)"
    )


def test_a_helper_that_runs_another_blocking_helper_stays_sync() -> None:
    helpers = (
        b"import os\nimport time\n\n\ndef fmt():\n    os.system('ruff format')\n\n\n"
        b"def pause(x):\n    time.sleep(x)\n    fmt()\n"
    )
    assert stays_sync(plan_of(helpers)) == {
        "pkg.helpers.pause": "calls pkg.helpers.fmt (pkg/helpers.py:11), which still blocks: "
        "os.system('ruff format') at pkg/helpers.py:6 (no codemod of this phase rewrites subprocess calls)"
    }


def test_calls_of_parameters_and_unnamed_callables_may_block() -> None:
    cases = {
        b"def pause(x, call):\n    time.sleep(x)\n    return call()\n": "calls its parameter call (pkg/helpers.py:7)",
        b"def pause(x):\n    time.sleep(x)\n    f = HANDLERS[x]\n    return f()\n": "calls the local variable f (pkg/helpers.py:8)",
        b"def pause(x):\n    time.sleep(x)\n    return HANDLERS[x]()\n": "calls the item HANDLERS[x] (pkg/helpers.py:7)",
        b"def pause(x):\n    time.sleep(x)\n    return getattr(x, 'run')()\n": "calls the result of getattr(x, 'run') (pkg/helpers.py:7)",
        b"def pause(x, *calls):\n    time.sleep(x)\n    def inner():\n        return calls[0]()\n    return [c() for c in calls]\n": "calls the local variable c (pkg/helpers.py:9)",
    }
    for body, reason in cases.items():
        why = stays_sync(plan_of(b"import time\n\nHANDLERS = {}\n\n" + body))
        assert why["pkg.helpers.pause"] == f"{reason}, which may block: the call graph cannot see what it runs", body


def test_calls_the_graph_resolves_and_methods_on_self_do_not_count() -> None:
    helpers = (
        b"import time\n\n\ndef nap(x):\n    return x\n\n\n"
        b"class Clock:\n    def pause(self, x):\n        time.sleep(x)\n        self.tick()\n        run = nap\n        return run(x)\n\n"
        b"    def tick(self):\n        return 1\n\n\n"
        b"def pause(x):\n    return Clock().pause(x)\n"
    )
    plan = plan_of(helpers)
    assert ("pkg/helpers.py", "Clock.pause") in plan.forced_async, plan.decisions


def test_a_blocking_callback_keeps_its_caller_sync() -> None:
    helpers = (
        b"import time\n\n\ndef slow_key(x):\n    time.sleep(x)\n    return x\n\n\n"
        b"def pause(xs):\n    time.sleep(1)\n    return sorted(xs, key=slow_key)\n"
    )
    assert stays_sync(plan_of(helpers))["pkg.helpers.pause"] == (
        "passes pkg.helpers.slow_key, which blocks, as a callback (pkg/helpers.py:11): it would run on the event loop"
    )


def test_the_dry_pass_finds_sites_left_in_the_rewritten_code() -> None:
    """A site the phase's codemods leave as it is, without a skip: the rewritten code is
    scanned again. Here the dry pass runs only the plan's own codemod (no sleep rewrite)."""
    helpers = b"import time\n\n\ndef pause(x):\n    time.sleep(x)\n"
    sources = {"pkg/__init__.py": b"", "pkg/helpers.py": helpers, "pkg/app.py": APP}
    plan = propagate.analyse(sources, ["sleep-to-asyncio"], propagate.Settings("propagate"))
    spec = CodemodSpec.of(get(propagate.CODEMOD))
    left, threaded, still = propagate.left_alone_by([spec], sources, plan, Environment())
    assert (left, threaded) == ({}, set())
    assert still == {
        "pkg.helpers.pause": "after the phase's codemods, time.sleep(x) (sleep) still blocks in it at pkg/helpers.py:5"
    }
    again = propagate.analyse(sources, ["sleep-to-asyncio"], propagate.Settings("propagate"), still_blocking=still)
    assert again.forced_async == frozenset()
    assert stays_sync(again) == {"pkg.helpers.pause": still["pkg.helpers.pause"]}


def test_a_helper_named_sync_that_becomes_async_is_mentioned() -> None:
    app = APP.replace(b"pause", b"_sync_pause")
    plan = plan_of(b"import time\n\n\ndef _sync_pause(x):\n    time.sleep(x)\n", app=app)
    (decision,) = plan.decisions
    assert decision.outcome == "async"
    assert decision.why == (
        "time.sleep(x) at pkg/helpers.py:5; every caller awaits it (its name, _sync_pause, still says sync: rename it?)"
    )
    plain = plan_of(b"import time\n\n\ndef pause(x):\n    time.sleep(x)\n")
    assert "rename" not in plain.decisions[0].why


def test_run_unwrap_offloads_flag(tmp_path) -> None:
    import subprocess
    import sys

    steps = b"import time\n\n\ndef load(x):\n    time.sleep(x)\n    return x\n"
    app = b"import asyncio\n\nfrom pkg.steps import load\n\n\nasync def handler(x):\n    return await asyncio.to_thread(load, x)\n"
    for rel, data in {"pkg/__init__.py": b"", "pkg/steps.py": steps, "pkg/app.py": app}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    base = [sys.executable, "-m", "asyncmig", "run", "sleep-to-asyncio", "pkg", "--sync-callers", "propagate"]
    kept = subprocess.run(base + ["--dry-run"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert kept.returncode == 0 and kept.stdout == ""  # offloaded already: nothing to do without the flag
    proc = subprocess.run(base + ["--unwrap-offloads"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "pkg/app.py").read_bytes() == b"from pkg.steps import load\n\n\nasync def handler(x):\n    return await load(x)\n"


def test_a_caller_outside_the_phase_paths_is_edited_and_listed(tmp_path) -> None:
    """The phase migrates utils/; the router that calls its helper lies outside the phase's
    paths but inside the project: its call is awaited there (only by async-propagation),
    and the change says so. Its own blocking sites are the router phase's business."""
    from asyncmig.engine import run as run_engine

    helper = b"import time\n\n\ndef pause(x):\n    time.sleep(x)\n"
    router = b"import time\n\nfrom utils.helpers import pause\n\n\nasync def handler(x):\n    time.sleep(1)\n    return pause(x)\n"
    for rel, data in {"utils/__init__.py": b"", "utils/helpers.py": helper, "routers/__init__.py": b"", "routers/api.py": router}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    specs = [CodemodSpec.of(get("sleep-to-asyncio"))]
    for mode, call in (("propagate", b"await pause(x)"), ("offload", b"await asyncio.to_thread(pause, x)")):
        got, env, files = propagate.prepare_paths(
            specs, None, tmp_path, [tmp_path / "utils"], project_paths=["."], settings=propagate.Settings(mode)
        )
        assert "routers/api.py" in files
        result = run_engine(got, [tmp_path / "utils"], tmp_path, env=env, jobs=1, files=files)
        (api,) = [f for f in result.files if f.path == "routers/api.py"]
        assert b"time.sleep(1)" in api.new  # not this phase's file: sleep-to-asyncio stays out
        assert call in api.new, api.new
        assert [c.codemod for c in api.changes] == ["async-propagation"]
        assert api.changes[0].why.endswith("(a call outside the paths of this run)")
