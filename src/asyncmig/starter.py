"""``asyncmig init``: a starter migrations.toml that migrates, written from the scan.

1. The scan (cached per file) lists the blocking calls and the context each runs in.
2. A candidate phase per codemod with a site in async context, in the order of a real
   migration: HTTP, fan-outs, file I/O, sleeps. Sync helpers that use requests and run
   today through ``asyncio.to_thread`` / ``run_in_executor`` add a last HTTP phase that
   propagates with ``unwrap_offloads``.
3. The shared-client module goes where every HTTP call site can import it.
4. Each candidate is counted the way ``plan`` counts (:func:`asyncmig.planner.count_phases`:
   the codemods over the files the scan lists, results cached by content) against the
   plan text itself; a phase that would change nothing is left out and init says why.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from asyncmig.config import DEFAULT_CLIENT_MODULE, plan_from_bytes
from asyncmig.models import RunResult

# (name, codemods, what the phase runs), in the order of a real migration: the network
# first (the longest stalls), the fan-outs that wait on it, then file I/O and sleeps.
STARTER_PHASES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "http",
        ("requests-to-httpx",),
        "requests / sync httpx calls made directly in async code become awaited calls on "
        "the shared httpx.AsyncClient",
    ),
    (
        "fan-out",
        ("threads-to-gather",),
        "Thread start/join and ThreadPoolExecutor fan-outs in async code become "
        "await asyncio.gather(...)",
    ),
    (
        "file-io",
        ("open-to-anyio",),
        "open(), pathlib and os.path file I/O in async code becomes anyio "
        "(async with await anyio.open_file, await anyio.Path(...))",
    ),
    ("sleeps", ("sleep-to-asyncio",), "time.sleep in async code becomes await asyncio.sleep"),
)
UNWRAP_PHASE = (
    "http-offloaded",
    ("requests-to-httpx",),
    "sync helpers that use requests and run through asyncio.to_thread / run_in_executor "
    "become async def on the shared client, and the offload becomes a plain await",
)
STARTER_EXCLUDE = ("**/tests/**", "**/test_*.py", "**/conftest.py")
HTTP = "requests-to-httpx"
_OFFLOADS = (b"to_thread", b"run_in_executor", b"run_in_threadpool", b"run_sync")


@dataclass(frozen=True)
class StarterPhase:
    name: str
    codemods: tuple[str, ...]
    runs: str  # what the phase really does, for its comment
    sync_callers: str | None = None
    unwrap_offloads: bool | None = None
    counted: RunResult | None = None
    reached: int = 0  # sites of its codemods in sync helpers async code calls (left as they are)


@dataclass(frozen=True)
class Starter:
    """What ``init`` found: the plan text (None when nothing can be migrated) and why."""

    text: str | None
    phases: tuple[StarterPhase, ...]
    dropped: tuple[tuple[StarterPhase, str], ...] = ()  # phases left out, and why
    files: int = 0
    findings: int = 0
    advice: tuple[str, ...] = field(default=())  # what to do when nothing is written


def build(root: Path, target: Path, *, base: str | None, jobs: int | None = None) -> Starter:
    """The starter plan for the repository at ``root``, to be written at ``target``."""
    from asyncmig.planner import count_phases
    from asyncmig.scan import scan

    scanned = scan(["."], root, exclude=STARTER_EXCLUDE, jobs=jobs, progress=True)
    in_async = Counter(f.codemod for f in scanned.findings if f.codemod and f.context == "async")
    reached = Counter(f.codemod for f in scanned.findings if f.codemod and f.context == "reached")
    offloaded = offloaded_http_helpers(root, scanned)

    candidates = [
        StarterPhase(name, codemods, runs, reached=sum(reached[c] for c in codemods))
        for name, codemods, runs in STARTER_PHASES
        if any(in_async[c] for c in codemods)
    ]
    if offloaded:
        name, codemods, runs = UNWRAP_PHASE
        candidates.append(StarterPhase(name, codemods, runs, "propagate", True))
    http_files = sorted(
        {f.path for f in scanned.findings if f.codemod == HTTP and (f.context == "async" or f.function in offloaded)}
    )
    module = client_module_for(root, http_files) if http_files else None
    if not candidates:
        return _nothing(root, scanned, Starter(None, (), files=scanned.files, findings=len(scanned.findings),
                                               advice=_advice(scanned, reached)))

    draft = render(root, candidates, module, base=base)
    plan = plan_from_bytes(target, draft.encode("utf-8"))
    counts = count_phases(plan, plan.phases, jobs=jobs, scanned=scanned)
    kept, dropped = [], []
    for phase, counted in zip(candidates, (counts[p.number] for p in plan.phases)):
        phase = replace(phase, counted=counted)
        if counted.n_changes:  # sites the codemods rewrite, or the scan's (estimated) ones
            kept.append(phase)
        else:
            dropped.append((phase, _why_nothing(counted)))
    if not kept:
        return _nothing(root, scanned, Starter(None, (), tuple(dropped), scanned.files, len(scanned.findings),
                                               advice=_advice(scanned, reached, dropped)))
    if not any(HTTP in p.codemods for p in kept):
        module = None
    return Starter(render(root, kept, module, base=base), tuple(kept), tuple(dropped),
                   scanned.files, len(scanned.findings))


# -- when nothing can be migrated ---------------------------------------------------------------
# ``init`` remembers why it wrote nothing (keyed by what the scan found), so ``plan`` without
# a migrations.toml repeats the reason instead of sending the user back to ``init``.

def _nothing(root: Path, scanned, starter: Starter) -> Starter:
    from asyncmig.cache import FileCache

    FileCache(root, "init", _VERSION).put_result(_scan_digest(scanned), starter.advice)
    return starter


def nothing_to_migrate(root: Path) -> tuple[str, ...] | None:
    """What ``init`` said when it last found nothing to migrate in this very code, or None."""
    from asyncmig.cache import FileCache
    from asyncmig.scan import scan

    cache = FileCache(root, "init", _VERSION)
    if not (cache.directory / "result.pickle").exists():
        return None
    advice = cache.get_result(_scan_digest(scan(["."], root, exclude=STARTER_EXCLUDE)))
    return tuple(advice) if isinstance(advice, tuple) else None


def _scan_digest(scanned) -> str:
    import hashlib

    digest = hashlib.sha256(f"{scanned.files}".encode())
    for f in scanned.findings:
        digest.update(f"{f.path}:{f.line}:{f.col}:{f.kind}:{f.context}:{f.codemod}\n".encode())
    return digest.hexdigest()


_VERSION = "1"


# -- what the scan says ------------------------------------------------------------------------


def offloaded_http_helpers(root: Path, scanned) -> frozenset[str]:
    """Sync functions with a requests site that async code runs through ``to_thread`` /
    ``run_in_executor`` (targets of an ``offload`` edge from an async function)."""
    from asyncmig.callgraph import CallGraph, extract, module_name

    helpers = {f.function for f in scanned.findings if f.codemod == HTTP and f.context in ("sync", "offloaded")}
    if not helpers:
        return frozenset()
    from asyncmig.discovery import discover

    has_init = _Packages(root)
    summaries = []
    wanted = {f.path for f in scanned.findings if f.function in helpers}
    for rel in discover(["."], root, STARTER_EXCLUDE):
        try:
            source = (root / rel).read_bytes()
        except OSError:
            continue
        if rel in wanted or (b"async" in source and any(word in source for word in _OFFLOADS)):
            module, is_package = module_name(rel, has_init)
            summaries.append(extract(source, module, rel, is_package))
    graph = CallGraph.build(s for s in summaries if s.error is None)
    found = set()
    for name, function in graph.functions.items():
        if not function.info.is_async:
            continue
        for edge in graph.calls_of(name):
            # a lambda cannot become async def: only named helpers can be unwrapped
            if edge.how == "offload" and edge.callee in helpers and "<lambda" not in edge.callee:
                found.add(edge.callee)
    return frozenset(found)


class _Packages:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.memo: dict[str, bool] = {}

    def __call__(self, folder: str) -> bool:
        if folder not in self.memo:
            self.memo[folder] = (self.root / folder / "__init__.py").is_file()
        return self.memo[folder]


def client_module_for(root: Path, call_sites: list[str]) -> str:
    """Where every HTTP call site can import the shared-client module from.

    All sites inside one top-level package: the innermost package holding them all
    (``from <package>.http_clients import get_client``). Sites in several packages that
    run from one folder (each package's parent, the folder the app starts in): that
    folder (``from http_clients import get_client``). Else the repository root.
    """
    packages = _Packages(root)
    folders = [PurePosixPath(p).parent for p in call_sites]
    tops = {_top_package(folder, packages) for folder in folders}
    common = PurePosixPath(os.path.commonpath([str(f) for f in folders]))
    if len(tops) == 1 and None not in tops:
        while str(common) not in ("", ".") and not packages(str(common)):
            common = common.parent
        return (common / DEFAULT_CLIENT_MODULE).as_posix()
    runs_from = {top.parent if top is not None else folder for top, folder in zip(
        (_top_package(f, packages) for f in folders), folders)}
    if len(runs_from) == 1:
        (folder,) = runs_from
        return (folder / DEFAULT_CLIENT_MODULE).as_posix()
    return DEFAULT_CLIENT_MODULE


def _top_package(folder: PurePosixPath, packages: _Packages) -> PurePosixPath | None:
    top = None
    while str(folder) not in ("", ".") and packages(str(folder)):
        top, folder = folder, folder.parent
    return top


def _why_nothing(counted: RunResult) -> str:
    reasons = Counter(s.reason for f in counted.files for s in f.skips)
    errors = [f for f in counted.files if f.status == "error"]
    if not reasons and not errors:
        return "its codemods found nothing they rewrite in the files the scan lists"
    shown = [f"{n} × {_short(reason)}" for reason, n in reasons.most_common(3)]
    if errors:
        shown.append(f"{len(errors)} file(s) could not be rewritten ({_short(errors[0].error or '')})")
    return "every site is left alone: " + "; ".join(shown)


def _short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _advice(scanned, reached: Counter, dropped=()) -> tuple[str, ...]:
    """Why nothing can be migrated, and what to do (never "run init")."""
    if not scanned.findings:
        return (
            f"no blocking call (requests, threads, open, time.sleep, ...) in the {scanned.files} "
            "Python files here: nothing to migrate",
        )
    lines = []
    if not dropped:
        lines.append(
            f"{len(scanned.findings)} blocking calls, none of them made directly in async code "
            "(asyncmig scan lists them with their context)"
        )
    if sum(reached.values()):
        lines.append(
            f"{sum(reached.values())} run in sync helpers that async code calls: write a phase with "
            'sync_callers = "offload" (runs each helper in a worker thread) or "propagate" '
            "(makes it async def); docs/planner.md shows one"
        )
    for phase, why in dropped:
        lines.append(f"phase {phase.name} ({', '.join(phase.codemods)}) would change nothing: {why}")
    return tuple(lines)


# -- the text ------------------------------------------------------------------------------------


def render(root: Path, phases: list[StarterPhase], module: str | None, *, base: str | None) -> str:
    """A commented migrations.toml (tomlkit) for ``phases``."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment("asyncmig migration plan: one phase = one stacked branch (asyncmig plan)."))
    doc.add(tomlkit.comment("Written by `asyncmig init` from a scan of this repository; edit freely."))
    doc.add(tomlkit.nl())

    migration = tomlkit.table()
    migration.add("name", _slug_or(root.name, "migration"))
    migration.add("paths", _array(["."]))
    migration["paths"].comment("roots to migrate, relative to this file")
    migration.add("exclude", _array(list(STARTER_EXCLUDE)))
    migration["exclude"].comment("globs left alone; .gitignore is honoured too")
    if base:
        migration.add("base", base)
        migration["base"].comment("phase 1 branches from here")
    migration.add("branch_prefix", "asyncmig/")
    migration["branch_prefix"].comment('branches are "<prefix>phase-<N>-<name>"')
    migration.add("sync_callers", "report")
    migration["sync_callers"].comment("report | offload | propagate: blocking code in sync helpers")
    doc.add("migration", migration)

    if module is not None:
        clients = tomlkit.table(is_super_table=True)
        default = tomlkit.table()
        default.add("module", module)
        default["module"].comment("generated shared httpx.AsyncClient module")
        default.add("timeout", 30.0)
        default.add("connect_timeout", 5.0)
        default.add("max_connections", 100)
        default.add("max_keepalive_connections", 20)
        clients.add("default", default)
        doc.add(tomlkit.nl())
        doc.add("clients", clients)

    doc.add(tomlkit.nl())
    phases_aot = tomlkit.aot()
    for number, phase in enumerate(phases, start=1):
        table = tomlkit.table()
        for line in _comment(number, phase, module):
            table.add(tomlkit.comment(line))
        table.add("name", phase.name)
        table.add("codemods", _array(list(phase.codemods)))
        if phase.sync_callers is not None:
            table.add("sync_callers", phase.sync_callers)
        if phase.unwrap_offloads is not None:
            table.add("unwrap_offloads", phase.unwrap_offloads)
        table.add(tomlkit.comment('verify = "python -m pytest -q"   # run on the phase branch by apply --verify'))
        phases_aot.append(table)
    doc.add("phases", phases_aot)
    return tomlkit.dumps(doc)


def _comment(number: int, phase: StarterPhase, module: str | None) -> list[str]:
    runs = phase.runs
    if HTTP in phase.codemods and module:
        runs += f" ({module})"
    lines = _wrap(f"phase {number}, {phase.name}: {runs}.")
    if phase.counted is not None:
        counted = phase.counted
        files = len(counted.changed)
        from asyncmig.planner import estimated_files

        guessed = len(estimated_files(counted))
        text = (
            f"Now: {'about ' if guessed else ''}{counted.n_changes} site{'s' if counted.n_changes != 1 else ''} "
            f"in {files} file{'s' if files != 1 else ''}"
        )
        if guessed:
            text += f" ({guessed} counted from the scan: apply --dry-run counts them exactly)"
        if counted.n_skips:
            text += f", {counted.n_skips} left alone with a reason (apply --dry-run lists them)"
        if counted.errors:
            text += f"; {len(counted.errors)} file(s) the codemods could not rewrite (apply --dry-run says why)"
        lines += _wrap(text + ".")
    if phase.sync_callers == "propagate":
        lines += _wrap(
            "sync_callers = propagate here: such a helper becomes async def when nothing in it "
            "still blocks, else it stays sync and is offloaded, with the reason."
        )
    elif phase.reached:
        lines += _wrap(
            f"{phase.reached} more in sync helpers async code calls are left as they are: set "
            'sync_callers = "offload" (or "propagate") in this phase to move them off the loop.'
        )
    return lines


def _wrap(text: str, width: int = 86) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]


def _array(items: list[str]):
    import tomlkit

    array = tomlkit.array()
    array.extend(items)
    return array


def _slug_or(name: str, default: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
    return slug or default


__all__ = [
    "STARTER_EXCLUDE",
    "STARTER_PHASES",
    "Starter",
    "StarterPhase",
    "build",
    "client_module_for",
    "nothing_to_migrate",
    "render",
]
