"""Runtime evidence: ``asyncmig trace -- CMD`` and ``asyncmig scan --trace FILE``.

``run`` executes a command with :mod:`asyncmig.tracehook` installed in its Python
processes (a ``sitecustomize.py`` on ``PYTHONPATH``), then gathers what each process saw
into one report::

    report = run(["python", "-m", "pytest", "-q"], root, files, threshold_ms=20.0)
    report.sites[0]   # TraceSite(path, line, function, call, count, total_ms, worst_ms, ...)
    save(report, root / ".asyncmig_cache" / "trace.json")

``merge`` joins a report to a scan: each static finding gets the stalls observed at its
line (count, worst, total), blocking seen only at runtime becomes a finding of kind
``runtime`` at the project frame that called into it, and measured stalls rank the table.
docs/trace.md has the whole story.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from asyncmig.cache import CACHE_DIR
from asyncmig.errors import UsageError
from asyncmig.scan import PRIORITIES, Finding, ScanResult

__all__ = [
    "DEFAULT_OUTPUT",
    "DEFAULT_THRESHOLD_MS",
    "Evidence",
    "Observed",
    "TraceReport",
    "TraceSite",
    "kinds_of_call",
    "load",
    "merge",
    "project_graph",
    "report_scan",
    "run",
    "save",
]

DEFAULT_THRESHOLD_MS = 20.0
DEFAULT_OUTPUT = f"{CACHE_DIR}/trace.json"
REPORT_FORMAT = 1
RUNTIME_KIND = "runtime"

# The call below the project frame → the static kinds it can be (DESIGN §6 kinds).
_KINDS_OF_CALL: tuple[tuple[str, frozenset[str]], ...] = (
    ("requests", frozenset({"requests"})),
    ("urllib3", frozenset({"requests"})),
    ("urllib.request", frozenset({"requests"})),
    ("http.client", frozenset({"requests"})),
    ("httpx", frozenset({"httpx-sync"})),
    ("httpx2", frozenset({"httpx-sync"})),
    ("threading.Thread.start", frozenset({"thread", "fire-and-forget"})),
    ("threading.Thread.join", frozenset({"thread-join"})),
    ("concurrent.futures", frozenset({"executor"})),
    ("open", frozenset({"open"})),
    ("builtins.open", frozenset({"open"})),
    ("io", frozenset({"open"})),
    ("codecs", frozenset({"open"})),
    ("pathlib", frozenset({"path-io", "open"})),
    ("os.path", frozenset({"path-io"})),
    ("posixpath", frozenset({"path-io"})),
    ("genericpath", frozenset({"path-io"})),
    ("shutil", frozenset({"path-io"})),
    ("os.system", frozenset({"subprocess"})),
    ("os.popen", frozenset({"subprocess"})),
    ("os.posix_spawn", frozenset({"subprocess"})),
    ("os.spawn", frozenset({"subprocess"})),
    ("os.wait", frozenset({"subprocess"})),
    ("os.fdopen", frozenset({"open"})),
    ("os", frozenset({"path-io"})),  # listdir, makedirs, remove, stat...: after the ones above
    ("subprocess", frozenset({"subprocess"})),
    ("time.sleep", frozenset({"sleep"})),
)


# ----------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class TraceSite:
    """Blocking observed at one place, aggregated over every stall of every process.

    ``scope`` is ``project`` (a scanned file), ``outside`` (another file of the
    repository: a test, a script) or ``library``; ``call`` is the call below the frame
    (``requests.api.post``, ``time.sleep``, ``fakedb.Connection.execute``); ``events`` what
    blocked at the bottom (``socket.connect``, ``open``, ...); ``blocked`` times are the
    part of each stall this site owned, ``worst_stall_ms`` the longest whole stall it was in.
    """

    scope: str
    path: str
    line: int
    function: str
    module: str | None
    call: str | None
    context: str  # "async" (a coroutine frame) or "sync"
    count: int
    total_ms: float
    worst_ms: float
    worst_stall_ms: float
    request: bool = False  # seen while a web framework served a request
    events: tuple[str, ...] = ()
    stack: tuple[str, ...] = ()

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.function}" if self.module else self.function


@dataclass(frozen=True)
class TraceReport:
    command: tuple[str, ...]
    exit_code: int
    threshold_ms: float
    wall_s: float
    processes: int  # Python processes that wrote a report
    loop_processes: int  # ... of which ran asyncio callbacks
    callbacks: int
    stalls: int
    sites: tuple[TraceSite, ...] = ()
    unattributed: tuple[dict, ...] = ()  # stalls with no blocking call noted
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict:
        data = asdict(self)
        data = {"format": REPORT_FORMAT, **data}
        data["command"] = list(self.command)
        return data


def save(report: TraceReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.parent.name == CACHE_DIR:
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Automatically created by asyncmig.\n*\n", encoding="utf-8")
    path.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load(path: Path) -> TraceReport:
    """A report written by ``asyncmig trace``; a clear error (exit 2) for anything else."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read the trace {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UsageError(f"{path}: not a trace report (invalid JSON: {exc})", hint="write one with `asyncmig trace -o FILE -- CMD`") from exc
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise UsageError(f"{path}: not an asyncmig trace report (format {REPORT_FORMAT})", hint="write one with `asyncmig trace -o FILE -- CMD`")
    try:
        sites = tuple(
            TraceSite(**{**site, "events": tuple(site.get("events", ())), "stack": tuple(site.get("stack", ()))})
            for site in data["sites"]
        )
        return TraceReport(
            command=tuple(data["command"]),
            exit_code=int(data["exit_code"]),
            threshold_ms=float(data["threshold_ms"]),
            wall_s=float(data["wall_s"]),
            processes=int(data["processes"]),
            loop_processes=int(data["loop_processes"]),
            callbacks=int(data["callbacks"]),
            stalls=int(data["stalls"]),
            sites=sites,
            unattributed=tuple(data.get("unattributed", ())),
            warnings=tuple(data.get("warnings", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{path}: damaged trace report ({type(exc).__name__}: {exc})") from exc


# ----------------------------------------------------------------------------- running


def run(
    command: Sequence[str],
    root: Path,
    files: Iterable[str],
    *,
    threshold_ms: float = DEFAULT_THRESHOLD_MS,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> TraceReport:
    """Run ``command`` with the detector in its Python processes; what they saw.

    ``files`` (relative to ``root``) are the project's files: a stall is placed at the
    nearest frame in one of them. The command's output goes where ours goes.
    """
    if not command:
        raise UsageError("nothing to trace", hint="asyncmig trace -- python -m pytest -q")
    if threshold_ms < 0:
        raise UsageError(f"--threshold must be 0 or more (got {threshold_ms:g})")
    root = root.resolve()
    folder = Path(tempfile.mkdtemp(prefix="asyncmig-trace-"))
    try:
        _install(folder, root, files, threshold_ms)
        environment = dict(os.environ if env is None else env)
        environment["ASYNCMIG_TRACE_DIR"] = str(folder)
        environment["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), environment.get("PYTHONPATH")) if p)
        started = time.perf_counter()
        code = _call(command, cwd, environment)
        wall = time.perf_counter() - started
        return _gather(folder, tuple(command), code, threshold_ms, wall)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _call(command: Sequence[str], cwd: Path | None, env: dict[str, str]) -> int:
    """Run the command to its end; SIGTERM is passed on (a CI job or a load script stops
    the server through us), Ctrl-C reaches it from the terminal and we wait for it."""
    try:
        child = subprocess.Popen(list(command), cwd=cwd, env=env)
    except OSError as exc:
        raise UsageError(f"cannot run {command[0]}: {exc.strerror or exc}") from exc
    previous = {}

    def forward(signum, _frame):
        child.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            previous[signum] = signal.signal(signum, forward if signum == signal.SIGTERM else signal.SIG_IGN)
        except ValueError:  # not the main thread: signals stay as they are
            break
    try:
        return child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _install(folder: Path, root: Path, files: Iterable[str], threshold_ms: float) -> None:
    shutil.copyfile(Path(__file__).with_name("tracehook.py"), folder / "_asyncmig_tracehook.py")
    (folder / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    config = {
        "root": str(root),
        "threshold_ms": threshold_ms,
        "files": sorted(os.path.realpath(root / rel) for rel in files),
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")


# Installs the detector, then runs the sitecustomize this one hides, if there is one.
_SITECUSTOMIZE = '''"""Written by asyncmig trace: the blocking-call detector, then the usual sitecustomize."""
import os as _os
import sys as _sys

import _asyncmig_tracehook

_asyncmig_tracehook.install()


def _chain():
    import importlib.machinery
    import importlib.util

    here = _os.path.dirname(_os.path.abspath(__file__))
    rest = [p for p in _sys.path if _os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        _sys.modules["sitecustomize"] = module
        spec.loader.exec_module(module)


_chain()
'''


def _gather(folder: Path, command: tuple[str, ...], code: int, threshold_ms: float, wall: float) -> TraceReport:
    processes = []
    for path in sorted(folder.glob("p*.json")):
        try:
            processes.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # a process killed while writing: its last flush is lost
    merged: dict[tuple, dict] = {}
    unattributed: dict[str, dict] = {}
    warnings = []
    for proc in processes:
        for site in proc.get("sites", ()):
            key = (site["scope"], site["path"], site["line"], site["call"])
            into = merged.get(key)
            if into is None:
                merged[key] = dict(site)
                continue
            into["count"] += site["count"]
            into["total_ms"] += site["total_ms"]
            into["request"] = into["request"] or site["request"]
            into["events"] = list(dict.fromkeys([*into["events"], *site["events"]]))
            into["worst_stall_ms"] = max(into["worst_stall_ms"], site["worst_stall_ms"])
            if site["worst_ms"] > into["worst_ms"]:
                into["worst_ms"], into["stack"] = site["worst_ms"], site["stack"]
        for entry in proc.get("unattributed", ()):
            into = unattributed.setdefault(entry["callback"], {"callback": entry["callback"], "count": 0, "total_ms": 0.0, "worst_ms": 0.0})
            into["count"] += entry["count"]
            into["total_ms"] += entry["total_ms"]
            into["worst_ms"] = max(into["worst_ms"], entry["worst_ms"])
        if proc.get("uvloop"):
            warnings.append(
                f"process {proc.get('pid')} ({' '.join(proc.get('argv', ()))[:80]}) imported uvloop: "
                "its loops are not traced (run it on asyncio's loop, e.g. uvicorn --loop asyncio)"
            )
    if not processes:
        warnings.append("no Python process reported: was the command a Python program, run without -I/-E?")
    sites = tuple(
        sorted(
            (
                TraceSite(**{**s, "events": tuple(s["events"]), "stack": tuple(s["stack"])})
                for s in merged.values()
            ),
            key=lambda s: (-s.worst_ms, -s.total_ms, s.path, s.line),
        )
    )
    return TraceReport(
        command=command,
        exit_code=code,
        threshold_ms=threshold_ms,
        wall_s=round(wall, 3),
        processes=len(processes),
        loop_processes=sum(1 for p in processes if p.get("loop_threads")),
        callbacks=sum(p.get("callbacks", 0) for p in processes),
        stalls=sum(p.get("stalls", 0) for p in processes),
        sites=sites,
        unattributed=tuple(sorted(unattributed.values(), key=lambda u: -u["worst_ms"])),
        warnings=tuple(warnings),
    )


# ----------------------------------------------------------------------------- merging


@dataclass(frozen=True)
class Observed:
    """What the trace saw at one finding."""

    count: int
    total_ms: float
    worst_ms: float
    request: bool = False
    via: str | None = None  # for runtime findings: the call below the project frame

    def to_json(self) -> dict:
        data = {
            "count": self.count,
            "worst_ms": round(self.worst_ms, 1),
            "total_ms": round(self.total_ms, 1),
            "request": self.request,
        }
        if self.via:
            data["via"] = self.via
        return data

    def __add__(self, other: Observed) -> Observed:
        return Observed(
            self.count + other.count,
            self.total_ms + other.total_ms,
            max(self.worst_ms, other.worst_ms),
            self.request or other.request,
            self.via or other.via,
        )


@dataclass(frozen=True)
class Evidence:
    """A scan with a trace merged in: findings ranked by priority, then measured stalls."""

    findings: tuple[Finding, ...]
    observed: dict[tuple[str, int, int, str], Observed]  # (path, line, col, kind) → what was seen
    outside: tuple[TraceSite, ...]  # stalls placed outside the scanned files
    scan: ScanResult
    trace: TraceReport
    promoted: frozenset[tuple[str, int, int, str]] = field(default_factory=frozenset)

    def observed_of(self, finding: Finding) -> Observed | None:
        return self.observed.get(_key(finding))


def _key(finding: Finding) -> tuple[str, int, int, str]:
    return (finding.path, finding.line, finding.col, finding.kind)


def kinds_of_call(call: str | None) -> frozenset[str]:
    """The static kinds a call below a project frame can be (empty: none, e.g. a driver)."""
    if not call:
        return frozenset()
    for prefix, kinds in _KINDS_OF_CALL:
        if call == prefix or call.startswith(prefix + "."):
            return kinds
    return frozenset()


def merge(result: ScanResult, report: TraceReport, root: Path, graph=None) -> Evidence:
    """Each finding with the stalls seen at it; runtime-only sites as ``runtime`` findings.

    A trace site joins the finding at its line whose kind its call can be; else the nearest
    such finding above it in the same function (``t.start()`` joins the ``Thread(...)``
    finding). Measured evidence only ever raises a priority: a site seen stalling the loop
    while a request was served is ``P0``; a ``sync`` or ``offloaded`` one seen on the loop is
    ``P2`` (reached).
    A runtime-only site takes the context and priority of its function in ``graph`` (a
    :class:`~asyncmig.callgraph.CallGraph`, or a callable returning one, built only when
    there are such sites), else of its frame (a coroutine: ``P1``, else ``P2``).
    """
    by_path: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_path.setdefault(finding.path, []).append(finding)
    observed: dict[tuple[str, int, int, str], Observed] = {}
    runtime: dict[tuple[str, int], tuple[TraceSite, Observed]] = {}
    outside = []
    for site in report.sites:
        if site.scope != "project":
            outside.append(site)
            continue
        seen = Observed(site.count, site.total_ms, site.worst_ms, site.request)
        target = _match(site, by_path.get(site.path, ()))
        if target is not None:
            key = _key(target)
            observed[key] = observed[key] + seen if key in observed else seen
            continue
        via = site.call or "?"
        if site.events and site.events != (site.call,):
            via += f" ({', '.join(site.events)})"
        old = runtime.get((site.path, site.line))
        if old is not None:
            vias = old[1].via.split("; ") if old[1].via else []
            seen = Observed(
                old[1].count + seen.count, old[1].total_ms + seen.total_ms, max(old[1].worst_ms, seen.worst_ms),
                old[1].request or seen.request, "; ".join(dict.fromkeys([*vias, via])),
            )
            site = old[0] if old[0].worst_ms >= site.worst_ms else site
        else:
            seen = replace(seen, via=via)
        runtime[(site.path, site.line)] = (site, seen)

    findings: list[Finding] = []
    promoted: set[tuple[str, int, int, str]] = set()
    for finding in result.findings:
        seen = observed.get(_key(finding))
        if seen is not None:
            raised = _raised(finding, seen)
            if raised != finding:
                promoted.add(_key(finding))
            finding = raised
        findings.append(finding)
    if runtime and callable(graph):
        graph = graph()
    sources: dict[str, list[str]] = {}
    for site, seen in runtime.values():
        finding = _runtime_finding(site, seen, graph, root, sources)
        observed[_key(finding)] = seen
        findings.append(finding)

    def rank(f: Finding):
        seen = observed.get(_key(f))
        worst, total = (seen.worst_ms, seen.total_ms) if seen else (0.0, 0.0)
        return (PRIORITIES.index(f.priority), 0 if seen else 1, -worst, -total, f.path, f.line, f.col)

    return Evidence(tuple(sorted(findings, key=rank)), observed, tuple(outside), result, report, frozenset(promoted))


def _match(site: TraceSite, findings: Sequence[Finding]) -> Finding | None:
    kinds = kinds_of_call(site.call)
    if not kinds:
        return None
    fitting = [f for f in findings if f.kind in kinds]
    for f in fitting:
        if f.line == site.line:
            return f
    same_function = [f for f in fitting if _same_function(f, site) and f.line <= site.line]
    return max(same_function, key=lambda f: f.line, default=None)


def _same_function(finding: Finding, site: TraceSite) -> bool:
    return finding.function == site.qualified or finding.function.endswith("." + site.function)


def _raised(finding: Finding, seen: Observed) -> Finding:
    if seen.request and finding.priority != "P0":
        return replace(finding, priority="P0", context="async" if finding.context == "sync" else finding.context)
    if finding.context in ("sync", "offloaded"):  # static analysis said "off the loop"
        return replace(finding, priority=min(finding.priority, "P2"), context="reached")
    return finding


def _runtime_finding(site: TraceSite, seen: Observed, graph, root: Path, sources: dict[str, list[str]]) -> Finding:
    name = site.qualified
    context = "async" if site.context == "async" else "reached"
    on_request_path = False
    if graph is not None:
        module = next((m for m, s in graph.modules.items() if s.path == site.path), None)
        if module is not None and f"{module}.{site.function}" in graph.functions:
            name = f"{module}.{site.function}"
            static = graph.context_of(name)
            context = "reached" if static in ("sync", "offloaded") else static  # it ran on the loop
            on_request_path = name in graph.request_path
    if site.request or (context == "async" and on_request_path):
        priority = "P0"
    else:
        priority = "P1" if context == "async" else "P2"
    if site.path not in sources:
        try:
            sources[site.path] = (root / site.path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            sources[site.path] = []
    lines = sources[site.path]
    text = lines[site.line - 1] if 0 < site.line <= len(lines) else ""
    col = len(text) - len(text.lstrip()) + 1 if text.strip() else 1
    return Finding(
        path=site.path,
        line=site.line,
        col=col,
        kind=RUNTIME_KIND,
        call=text.strip() or (site.call or "?"),
        function=name,
        context=context,
        priority=priority,
        codemod=None,
        timeout="-",
    )


def project_graph(root: Path, files: Iterable[str]):
    """The call graph of the scanned files (for the context of runtime-only sites)."""
    from asyncmig.callgraph import CallGraph
    from asyncmig.propagate import read_sources, summaries_of

    return CallGraph.build(s for s in summaries_of(read_sources(root, files)) if s.error is None)


# ----------------------------------------------------------------------------- rendering


def ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def describe(seen: Observed | None) -> str:
    if seen is None:
        return "—"
    text = f"{seen.count}× worst {ms(seen.worst_ms)}, total {ms(seen.total_ms)}"
    return text + (" (request)" if seen.request else "")


def evidence_json(evidence: Evidence) -> str:
    """The scan's JSON with ``observed`` on every finding, the sites outside, the trace."""
    result = evidence.scan
    findings = []
    for f in evidence.findings:
        data = f.to_json()
        seen = evidence.observed_of(f)
        data["observed"] = seen.to_json() if seen else None
        findings.append(data)
    payload = {
        "files": result.files,
        "lines": result.lines,
        "findings": findings,
        "outside": [_site_json(s) for s in evidence.outside],
        "trace": _trace_summary(evidence.trace),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _site_json(site: TraceSite) -> dict:
    return {
        "scope": site.scope,
        "path": site.path,
        "line": site.line,
        "function": site.function,
        "call": site.call,
        "count": site.count,
        "worst_ms": round(site.worst_ms, 1),
        "total_ms": round(site.total_ms, 1),
    }


def _trace_summary(report: TraceReport) -> dict:
    return {
        "command": list(report.command),
        "threshold_ms": report.threshold_ms,
        "stalls": report.stalls,
        "wall_s": report.wall_s,
    }


def _rows(evidence: Evidence):
    for f in evidence.findings:
        seen = evidence.observed_of(f)
        call = f.call if len(f.call) <= 90 else f.call[:89] + "…"
        if seen is not None and seen.via:
            call += f"  [via {seen.via}]"
        mark = " ↑" if _key(f) in evidence.promoted else ""
        yield f, call, describe(seen), mark


def evidence_markdown(evidence: Evidence, title: str = "Blocking calls, with observed stalls") -> str:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'")

    out = [f"## {title}", "", _headline(evidence), ""]
    current = None
    rows = list(_rows(evidence))
    for i, (f, call, seen, mark) in enumerate(rows):
        if f.priority != current:
            current = f.priority
            out += [f"### {f.priority}", "", "| File:Line | Blocking call | Kind | Function | Observed | Codemod |", "|---|---|---|---|---|---|"]
        out.append(f"| `{cell(f.path)}:{f.line}` | `{cell(call)}` | {f.kind}{mark} | `{cell(f.function)}` | {seen} | {f.codemod or '—'} |")
        if i + 1 == len(rows) or rows[i + 1][0].priority != f.priority:
            out.append("")
    if evidence.outside:
        out += ["### Stalls outside the scanned files", "", "| File:Line | Function | Call | Observed |", "|---|---|---|---|"]
        for s in evidence.outside:
            out.append(f"| `{cell(s.path)}:{s.line}` ({s.scope}) | `{cell(s.function)}` | `{cell(s.call or '?')}` | {s.count}× worst {ms(s.worst_ms)} |")
    return "\n".join(out).rstrip() + "\n"


def _headline(evidence: Evidence) -> str:
    report = evidence.trace
    static = [f for f in evidence.findings if f.kind != RUNTIME_KIND]
    seen = sum(1 for f in static if evidence.observed_of(f))
    runtime = len(evidence.findings) - len(static)
    return (
        f"{len(static)} blocking call sites in {evidence.scan.files} files, {seen} of them seen stalling the loop; "
        f"{runtime} more seen only at runtime; trace of `{' '.join(report.command)}`: "
        f"{report.stalls} stalls ≥ {report.threshold_ms:g} ms."
    )


def print_evidence(console, evidence: Evidence) -> None:
    """The audit table with an Observed column, ranked by priority then measured stalls."""
    from rich.markup import escape
    from rich.table import Table

    table = None
    current = None
    for f, call, seen, mark in _rows(evidence):
        if f.priority != current:
            if table is not None:
                console.print(table)
            current = f.priority
            table = Table(title=f"{f.priority}", title_justify="left")
            for name in ("File:Line", "Blocking call", "Kind", "Function", "Observed", "Codemod"):
                table.add_column(name, no_wrap=name == "File:Line", overflow="fold")
        table.add_row(escape(f"{f.path}:{f.line}"), escape(call), f.kind + mark, escape(f.function), escape(seen), f.codemod or "—")
    if table is not None:
        console.print(table)
    if evidence.outside:
        print_sites(console, evidence.outside, title="Stalls outside the scanned files")
    console.print(escape(_headline(evidence)))
    if evidence.promoted:
        console.print("↑ priority raised by what the trace saw (a request path, or sync code seen on the loop)")


def print_sites(console, sites: Sequence[TraceSite], *, title: str, limit: int = 30) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in ("Where", "File:Line", "Function", "Call", "Count", "Worst", "Total"):
        table.add_column(name, overflow="fold", justify="right" if name in ("Count", "Worst", "Total") else "left")
    for s in sites[:limit]:
        table.add_row(
            s.scope + (" (request)" if s.request else ""), escape(f"{s.path}:{s.line}"), escape(s.function),
            escape(s.call or "?"), str(s.count), ms(s.worst_ms), ms(s.total_ms),
        )
    console.print(table)
    if len(sites) > limit:
        console.print(f"... and {len(sites) - limit} more sites")


def print_report(console, report: TraceReport, output: Path | None) -> None:
    """What ``asyncmig trace`` says when the command has finished (on stderr)."""
    if report.sites:
        print_sites(console, report.sites, title=f"Loop stalls ≥ {report.threshold_ms:g} ms, by site")
    for entry in report.unattributed[:5]:
        console.print(f"stall with no blocking call noted: {entry['count']}× worst {ms(entry['worst_ms'])}: {entry['callback']}", markup=False, highlight=False)
    for warning in report.warnings:
        console.print(f"warning: {warning}", style="yellow", markup=False, highlight=False)
    where = f" → {output}" if output else ""
    console.print(
        f"{report.stalls} stalls ≥ {report.threshold_ms:g} ms at {len(report.sites)} sites in "
        f"{report.loop_processes} of {report.processes} Python processes ({report.wall_s:.1f} s){where}",
        markup=False, highlight=False,
    )


def default_output(root: Path) -> Path:
    return root / DEFAULT_OUTPUT



def report_scan(result: ScanResult, trace_path: Path, root: Path, files: Sequence[str], format: str, output: Path | None, write) -> None:
    """``asyncmig scan --trace FILE``: the scan merged with the trace, in ``format``."""
    from rich.console import Console

    if format == "sarif":
        raise UsageError("--trace merges into the table, json and markdown formats, not sarif")
    evidence = merge(result, load(trace_path), root, graph=lambda: project_graph(root, files))
    if format == "table":
        if output is None:
            print_evidence(Console(), evidence)
        else:
            with output.open("w", encoding="utf-8") as handle:
                print_evidence(Console(file=handle, width=200, no_color=True), evidence)
        return
    write(evidence_json(evidence) if format == "json" else evidence_markdown(evidence), output)
