"""``scan``: the inventory of blocking calls, with context and priority (DESIGN §5, §6).

Pipeline: discover files → fingerprint each through the content-hash cache (one ``stat``
per unchanged file) → if nothing changed since the last run, return the stored result →
otherwise extract a :class:`~asyncmig.callgraph.ModuleSummary` for every new or changed
module (``ast``, in a process pool) → build the :class:`~asyncmig.callgraph.CallGraph` →
give each blocking site its context and priority.

Priorities
    ``P0`` blocking in async context on a request path: in an async request handler
    (FastAPI/Starlette/aiohttp route, websocket or event handler, class-based view,
    registered endpoint) or in an async function a handler calls; ``P1`` other async
    context; ``P2`` a sync function reached from async context; ``P3`` sync only.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from asyncmig import __version__
from asyncmig.cache import FileCache
from asyncmig.callgraph import CallGraph, ModuleSummary, extract
from asyncmig.discovery import discover
from asyncmig.importroots import imported_names, module_names
from asyncmig.sites import KINDS

# Bump when ModuleSummary, the recognizers or the result change shape or meaning.
SCAN_FORMAT = "14"
CACHE_VERSION = f"{__version__}-{SCAN_FORMAT}"
PRIORITIES = ("P0", "P1", "P2", "P3")
PRIORITY_TITLES = {
    "P0": "blocking in async context on a request path",
    "P1": "blocking in other async context",
    "P2": "blocking in sync code reached from async context",
    "P3": "blocking in sync code only",
}
OFFLOADED_TITLE = "run in a worker thread by async code (offloaded)"
DETACHED_TITLE = "fire-and-forget threads (started, never joined): not blocking"
CONTEXTS = ("async", "reached", "offloaded", "sync")
# Below this many files to parse, a process pool costs more than it saves.
POOL_THRESHOLD = 48


@dataclass(frozen=True, order=True)
class Finding:
    """One blocking call site (the DESIGN §6 JSON object, plus the timeout column)."""

    path: str
    line: int
    col: int
    kind: str
    call: str
    function: str
    context: str
    priority: str
    codemod: str | None
    timeout: str = "none"

    def to_json(self) -> dict[str, object]:
        """Exactly the keys of DESIGN §6, in that order."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "kind": self.kind,
            "call": self.call,
            "function": self.function,
            "context": self.context,
            "priority": self.priority,
            "codemod": self.codemod,
        }


@dataclass(frozen=True)
class ScanResult:
    """Every finding of a scan, sorted by path and position, and what was looked at."""

    files: int
    lines: int
    findings: tuple[Finding, ...] = ()
    errors: tuple[tuple[str, str], ...] = ()  # (path, why it was not analysed)
    skipped: tuple[Finding, ...] = ()  # sites carrying ``# asyncmig: skip``
    parsed: int = 0  # modules analysed in this run (the rest came from the cache)
    from_cache: bool = False  # the whole result came from the cache
    stats: dict[str, int] = field(default_factory=dict, compare=False)
    notes: tuple[str, ...] = ()  # things the user should know (module names that collided)

    def counts(self) -> dict[tuple[str, str], int]:
        """Findings per (kind, context)."""
        return dict(Counter((f.kind, f.context) for f in self.findings))

    def by_priority(self) -> dict[str, list[Finding]]:
        groups: dict[str, list[Finding]] = {p: [] for p in PRIORITIES}
        for finding in self.findings:
            groups[finding.priority].append(finding)
        return groups

    def sections(self) -> list[tuple[str, str, list[Finding]]]:
        """``(priority, title, findings)`` in report order: P0–P2, then the P3 work async
        code offloads to worker threads (what a migration removes), threads nobody joins
        (background work, not blocking), then sync-only code."""
        out = []
        for priority, group in self.by_priority().items():
            if priority != "P3":
                out.append((priority, PRIORITY_TITLES[priority], group))
                continue
            detached = [f for f in group if f.kind == "fire-and-forget"]
            offloaded = [f for f in group if f.context == "offloaded" and f.kind != "fire-and-forget"]
            rest = [f for f in group if f.context != "offloaded" and f.kind != "fire-and-forget"]
            out.append((priority, OFFLOADED_TITLE, offloaded))
            out.append((priority, DETACHED_TITLE, detached))
            out.append((priority, PRIORITY_TITLES[priority], rest))
        return [section for section in out if section[2]]


# ----------------------------------------------------------------------------- scanning


def scan(
    paths: Sequence[str | Path],
    root: Path,
    *,
    exclude: Iterable[str] = (),
    jobs: int | None = None,
    use_cache: bool = True,
    progress: bool = False,
    files: Sequence[str] | None = None,
    on_loop_only: bool = False,
    import_roots: Sequence[str] | None = None,
) -> ScanResult:
    """Scan the Python files under ``paths`` (inside ``root``) for blocking calls.

    Relative ``paths`` are relative to ``root``.
    ``on_loop_only`` (what ``check`` needs) lists only ``async`` and ``reached`` sites and
    parses only what can hold them: modules that mention ``async``, then, round by round,
    the modules their calls lead into — usually a small part of a project.
    ``files`` (relative to ``root``) replaces discovery when the caller knows them.
    ``import_roots`` (folders relative to ``root``) name modules instead of the detection of
    :mod:`asyncmig.importroots`.
    The cache lives in ``root/.asyncmig_cache/scan``; ``use_cache=False`` neither reads
    nor writes it.
    """
    root = root.resolve()
    paths = [p if Path(p).is_absolute() else root / p for p in paths]
    rels = list(files) if files is not None else discover(paths, root, exclude)
    cache = FileCache(root, "scan", CACHE_VERSION, enabled=use_cache)
    packages = _PackageFolders(root)

    # The whole result depends on every file's content and path, the package folders and
    # the configured import roots; module names follow from those (asyncmig.importroots).
    fingerprints: list[tuple[str, str | None, bytes | None]] = []
    run_key = hashlib.sha256(f"{CACHE_VERSION}:{int(on_loop_only)}:{sorted(import_roots or ())}".encode())
    folders: set[str] = set()
    for rel in rels:
        digest, data = cache.fingerprint(rel)
        fingerprints.append((rel, digest, data))
        run_key.update(f"{rel}\0{digest or 'unreadable'}\n".encode())
        folder = rel.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    run_key.update(" ".join(sorted(f for f in folders if packages(f))).encode())
    run_digest = run_key.hexdigest()

    cached = cache.get_result(run_digest) if use_cache else None
    if isinstance(cached, ScanResult):
        return replace(cached, parsed=0, from_cache=True)

    names = module_names(
        rels, _imports_of(root, fingerprints, cache), has_init=packages, import_roots=import_roots
    )
    keys: list[tuple[str, str, bool, str | None]] = []  # rel, module, is_package, value key
    for rel, digest, _ in fingerprints:
        module, is_package = names[rel]
        key = None if digest is None else f"{digest}\0{rel}\0{module}\0{int(is_package)}"
        keys.append((rel, module, is_package, key))
    notes = tuple(
        f"{kept} and {', '.join(others)} would share the module name {name}: "
        f"{', '.join(others)} named by {'their' if len(others) > 1 else 'its'} full path "
        "(set [migration] import_roots to say which folders are import roots)"
        for name, kept, others in names.collisions
    )

    # Summaries travel and are cached as pickled bytes: a worker pickles its summary once,
    # the cache stores those bytes as they are (no second pickling of the whole project).
    summaries: list[ModuleSummary] = []
    missing: list[tuple[str, str, str, bool, str | None]] = []
    deferred: dict[str, tuple[str, str, str, bool, str | None]] = {}  # module → job
    lines_of_deferred = 0
    for rel, module, is_package, key in keys:
        blob = cache.get(key) if key is not None else None
        summary = _loads(blob) if isinstance(blob, bytes) else None
        if summary is not None:
            summaries.append(summary)
            continue
        job = (str(root), rel, module, is_package, key)
        if on_loop_only:
            lines = blob if type(blob) is int else _lines_without_async(root, rel)
            if lines is not None:  # nothing async in it: parsed only if calls lead there
                deferred.setdefault(module, job)
                lines_of_deferred += lines
                if key is not None and type(blob) is not int:
                    cache.put(key, lines)
                continue
        missing.append(job)
    parsed = len(missing)
    summaries.extend(_parse(missing, cache, jobs, progress))

    if on_loop_only:
        graph = CallGraph.build(summaries)
        graph.unloaded.update(deferred)
        while True:
            graph.reached, graph.handlers  # noqa: B018 — resolving fills graph.wanted
            if not graph.wanted:
                break
            batch = [deferred[m] for m in sorted(graph.wanted)]
            graph.wanted.clear()
            for summary in _parse(batch, cache, jobs, progress):
                summaries.append(summary)
                graph.add(summary)
                lines_of_deferred -= summary.lines
            parsed += len(batch)
        result = analyse(summaries, parsed=parsed, contexts=("async", "reached"), graph=graph)
        result = replace(result, files=len(keys), lines=result.lines + lines_of_deferred)
    else:
        result = analyse(summaries, parsed=parsed)
    result = replace(result, notes=notes)
    cache.save()
    cache.put_result(run_digest, result)
    return result


def _parse(jobs_: list, cache: FileCache, jobs: int | None, progress: bool) -> list[ModuleSummary]:
    """Summaries of the files of ``jobs_`` (in a pool when many), stored in the cache."""
    out = []
    for (_, _, _, _, key), blob in zip(jobs_, _map(_extract_file, [j[:4] for j in jobs_], jobs, progress)):
        summary = pickle.loads(blob)
        out.append(summary)
        if key is not None and not (summary.error or "").startswith("cannot read"):
            cache.put(key, blob)
    return out


def _imports_of(root: Path, fingerprints, cache: FileCache) -> dict[str, tuple[str, ...]]:
    """What each file imports (absolute names), cached by content."""
    out: dict[str, tuple[str, ...]] = {}
    for rel, digest, data in fingerprints:
        key = None if digest is None else f"{digest}\0imports"
        found = cache.get(key) if key is not None else None
        if not isinstance(found, tuple):
            if data is None:
                try:
                    with open(os.path.join(root, rel), "rb") as handle:
                        data = handle.read()
                except OSError:
                    data = b""
            found = imported_names(data)
            if key is not None:
                cache.put(key, found)
        out[rel] = found
    return out


def _lines_without_async(root: Path, rel: str) -> int | None:
    """The line count of a module that never says ``async``; None when it does (or is unreadable)."""
    try:
        with open(os.path.join(root, rel), "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if b"async" in data:
        return None
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def analyse(
    summaries: Iterable[ModuleSummary],
    parsed: int = 0,
    contexts: tuple[str, ...] = CONTEXTS,
    graph: CallGraph | None = None,
) -> ScanResult:
    """Findings with context and priority from module summaries (no I/O).

    Only findings whose context is in ``contexts`` are kept.
    """
    summaries = sorted(summaries, key=lambda s: s.path)
    if graph is None:
        graph = CallGraph.build(summaries)
    findings: list[Finding] = []
    skipped: list[Finding] = []
    errors: list[tuple[str, str]] = []
    lines = 0
    request_path = graph.request_path
    for summary in summaries:
        lines += summary.lines
        if summary.error is not None:
            errors.append((summary.path, summary.error))
            continue
        if summary.skip_file:
            continue
        own = graph.modules.get(summary.module) is summary
        local_async = {f.qualname for f in summary.functions if f.is_async}
        for site in summary.sites:
            if site.function:
                name = f"{summary.module}.{site.function}"
                if own:
                    context = graph.context_of(name)
                else:  # a second module of the same name: only what the file itself says
                    context = "async" if site.function in local_async else "sync"
            else:
                name, context = summary.module, "sync"
            if site.offloaded and context != "sync":
                # ``to_thread(requests.get, url)`` in async code: the call runs in a worker
                context = "offloaded"
            if site.kind == "fire-and-forget":
                priority = "P3"  # starting a thread does not block; listed for the migration
            elif context == "async":
                priority = "P0" if own and name in request_path else "P1"
            else:
                priority = "P2" if context == "reached" else "P3"
            finding = Finding(
                path=summary.path,
                line=site.line,
                col=site.col,
                kind=site.kind,
                call=site.call,
                function=name,
                context=context,
                priority=priority,
                codemod=site.codemod,
                timeout=site.timeout,
            )
            if context in contexts:
                (skipped if site.skipped else findings).append(finding)
    return ScanResult(
        files=len(summaries),
        lines=lines,
        findings=tuple(sorted(findings)),
        errors=tuple(errors),
        skipped=tuple(sorted(skipped)),
        parsed=parsed,
        stats={"functions": len(graph.functions), "reached": len(graph.reached), "handlers": len(graph.handlers)},
    )


class _PackageFolders:
    """Memoized ``folder has __init__.py`` test for module names."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.known: dict[str, bool] = {}

    def __call__(self, folder: str) -> bool:
        known = self.known.get(folder)
        if known is None:
            known = self.known[folder] = os.path.isfile(os.path.join(self.root, folder, "__init__.py"))
        return known


def _extract_file(args: tuple[str, str, str, bool]) -> bytes:
    """The pickled :class:`ModuleSummary` of one file (runs in a worker process)."""
    root, rel, module, is_package = args
    try:
        with open(os.path.join(root, rel), "rb") as handle:
            source = handle.read()
    except OSError as exc:
        summary = ModuleSummary(module, rel, 0, error=f"cannot read: {exc.strerror or exc}")
    else:
        summary = extract(source, module, rel, is_package)
    return pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)


def _loads(blob: bytes) -> ModuleSummary | None:
    try:
        summary = pickle.loads(blob)
    except Exception:  # a damaged cache entry: parse the file again
        return None
    return summary if isinstance(summary, ModuleSummary) else None


def _map(fn, items: list, jobs: int | None, progress: bool, threshold: int = POOL_THRESHOLD):
    jobs = jobs or os.cpu_count() or 1
    bar = None
    if progress and items and sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        bar = Progress(console=Console(stderr=True), transient=True)
        task = bar.add_task("scanning", total=len(items))
        bar.start()
    try:
        if jobs <= 1 or len(items) < threshold:
            for item in items:
                yield fn(item)
                if bar:
                    bar.advance(task)
            return
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, min(32, len(items) // (jobs * 8)))
        with ProcessPoolExecutor(max_workers=min(jobs, len(items))) as pool:
            for result in pool.map(fn, items, chunksize=chunk):
                yield result
                if bar:
                    bar.advance(task)
    finally:
        if bar:
            bar.stop()


# ----------------------------------------------------------------------------- rendering


def to_json(result: ScanResult) -> str:
    """``{"files": n, "lines": n, "findings": [...]}`` exactly as DESIGN §6 says."""
    payload = {
        "files": result.files,
        "lines": result.lines,
        "findings": [f.to_json() for f in result.findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'")


def to_markdown(result: ScanResult, title: str = "Blocking calls") -> str:
    """A table per priority and the kind × context counts, ready to paste into an issue."""
    out = [f"## {title}", ""]
    out.append(
        f"{len(result.findings)} blocking call sites in {result.files} files "
        f"({result.lines} lines)"
        + (f"; {len(result.skipped)} left alone by `# asyncmig: skip`" if result.skipped else "")
        + "."
    )
    out.append("")
    for priority, title, group in result.sections():
        out += [f"### {priority} — {title} ({len(group)})", ""]
        out.append("| File:Line | Blocking call | Kind | Function | Timeout | Codemod |")
        out.append("|---|---|---|---|---|---|")
        for f in group:
            out.append(
                f"| `{_md(f.path)}:{f.line}` | `{_md(f.call)}` | {f.kind} | "
                f"`{_md(f.function)}` | {_md(f.timeout)} | {f.codemod or '—'} |"
            )
        out.append("")
    out += _summary_markdown(result)
    if result.errors:
        out += ["", "### Not analysed", ""]
        out += [f"- `{_md(path)}`: {_md(error)}" for path, error in result.errors]
    return "\n".join(out).rstrip() + "\n"


def _summary_markdown(result: ScanResult) -> list[str]:
    counts = result.counts()
    out = [
        "### Summary", "", "| Kind | " + " | ".join(CONTEXTS) + " | total |",
        "|---|" + "---:|" * (len(CONTEXTS) + 1),
    ]
    for kind in KINDS:
        row = [counts.get((kind, c), 0) for c in CONTEXTS]
        if any(row):
            out.append(f"| {kind} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    totals = [sum(n for (k, c), n in counts.items() if c == context) for context in CONTEXTS]
    out.append("| **total** | " + " | ".join(f"**{n}**" for n in totals) + f" | **{sum(totals)}** |")
    return out


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"async": "error", "reached": "warning", "offloaded": "note", "sync": "note"}
_RULE_HELP = {
    "requests": "Blocking HTTP call (requests, urllib, urllib3).",
    "httpx-sync": "Synchronous httpx call.",
    "thread": "Thread created for a fan-out.",
    "thread-join": "Thread.join() blocks until the thread ends.",
    "executor": "Waiting on a ThreadPoolExecutor/ProcessPoolExecutor.",
    "open": "Blocking file open.",
    "path-io": "Blocking pathlib / os.path file-system call.",
    "sleep": "time.sleep blocks the thread.",
    "subprocess": "Blocking subprocess call.",
    "fire-and-forget": "A thread started and never joined (or a daemon): background work, not a blocking call.",
}


def to_sarif(findings: Iterable[Finding], *, tool: str = "asyncmig", hints: dict | None = None) -> str:
    """SARIF 2.1.0 for code scanning: one rule per kind; async is an error, reached a warning.

    ``hints`` (finding → next step) replace the default end of each message."""
    rules = [
        {
            "id": f"asyncmig/{kind}",
            "name": kind,
            "shortDescription": {"text": _RULE_HELP[kind]},
        }
        for kind in KINDS
    ]
    results = []
    for f in findings:
        results.append(
            {
                "ruleId": f"asyncmig/{f.kind}",
                "ruleIndex": KINDS.index(f.kind),
                "level": _LEVELS[f.context],
                "message": {"text": message(f, (hints or {}).get(f))},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": f.line, "startColumn": f.col},
                        }
                    }
                ],
                "properties": {
                    "priority": f.priority,
                    "context": f.context,
                    "function": f.function,
                    "timeout": f.timeout,
                    "codemod": f.codemod,
                },
            }
        )
    payload = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": tool, "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


_WHERE = {
    "async": "in async function",
    "reached": "in sync function reached from async code",
    "offloaded": "in sync function async code runs in a worker thread",
    "sync": "in sync function",
}


def message(f: Finding, next_step: str | None = None) -> str:
    """One line: what blocks, where, and ``next_step`` (``check`` says whether the codemod
    really rewrites the site: :mod:`asyncmig.checkhints`); else the kind's codemod."""
    if next_step is not None:
        fix = f"; {next_step}" if next_step else ""
    else:
        fix = f"; codemod for this kind: {f.codemod}" if f.codemod else ""
    timeout = f", timeout {f.timeout}" if f.timeout not in ("-",) and f.kind in ("requests", "httpx-sync", "subprocess") else ""
    return f"blocking {f.kind} call `{f.call}` {_WHERE[f.context]} `{f.function}` ({f.priority}{timeout}){fix}"


# Below this width the six-column table cannot show a path, a call and a function side by
# side; each site then takes a few wrapped lines instead (``asyncmig scan > audit.txt``
# is 80 columns unless COLUMNS says otherwise).
TABLE_MIN_WIDTH = 120


def print_table(console, result: ScanResult) -> None:
    """The audit, grouped by priority, then the kind × context counts (rich).

    At ``TABLE_MIN_WIDTH`` columns or more, a table per section; narrower (a pipe, a
    small terminal, ``COLUMNS=80``), a compact layout: a line ``File:Line  kind  timeout
    codemod`` per site, its call and function indented below it, wrapped to the width.
    """
    from rich.markup import escape
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    styles = {"P0": "bold red", "P1": "red", "P2": "yellow", "P3": "dim"}
    compact = console.width < TABLE_MIN_WIDTH
    for priority, title, group in result.sections():
        heading = f"[{styles[priority]}]{priority}[/] {escape(title)} ({len(group)})"
        if compact:
            console.print(heading)
            for f in group:
                head = Text(f"{f.path}:{f.line}", style="bold")
                head.append(f"  {f.kind}  timeout {f.timeout}  {f.codemod or 'no codemod'}")
                console.print(Padding(head, (0, 0, 0, 2), expand=False), overflow="fold")
                console.print(Padding(Text(f.call), (0, 0, 0, 6), expand=False), overflow="fold")
                console.print(Padding(Text(f"in {f.function}", style="dim"), (0, 0, 0, 6), expand=False), overflow="fold")
            console.print()
            continue
        table = Table(title=heading, title_justify="left", show_lines=False, expand=False)
        table.add_column("File:Line", no_wrap=True)
        table.add_column("Blocking call", overflow="fold", ratio=3)
        table.add_column("Kind", no_wrap=True)
        table.add_column("Function", overflow="fold", ratio=2)
        table.add_column("Timeout", overflow="fold")
        table.add_column("Codemod", no_wrap=True)
        for f in group:
            table.add_row(
                escape(f"{f.path}:{f.line}"),
                escape(f.call if len(f.call) <= 100 else f.call[:99] + "…"),
                f.kind,
                escape(f.function),
                escape(f.timeout),
                f.codemod or "—",
            )
        console.print(table)
    counts = result.counts()
    summary = Table(title="Summary: sites per kind and context", title_justify="left")
    summary.add_column("Kind")
    for context in CONTEXTS:
        summary.add_column(context, justify="right")
    summary.add_column("total", justify="right")
    for kind in KINDS:
        row = [counts.get((kind, c), 0) for c in CONTEXTS]
        if any(row):
            summary.add_row(kind, *map(str, row), str(sum(row)))
    totals = [sum(n for (k, c), n in counts.items() if c == context) for context in CONTEXTS]
    summary.add_row("[bold]total[/]", *(f"[bold]{n}[/]" for n in totals), f"[bold]{sum(totals)}[/]")
    console.print(summary)
    tail = f"{len(result.findings)} blocking call sites in {result.files} files ({result.lines} lines)"
    if result.skipped:
        tail += f"; {len(result.skipped)} left alone by `# asyncmig: skip`"
    console.print(escape(tail))
    for path, error in result.errors:
        console.print(f"[yellow]not analysed[/] {escape(path)}: {escape(error)}")
