"""Rendering of run results: terminal summary, coloured diff, JSON and Markdown."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from asyncmig.diff import file_diff
from asyncmig.models import FileResult, RunResult


def print_diff(console: Console, diff: bytes) -> None:
    """A unified diff, coloured when the console is a terminal, verbatim otherwise."""
    text = diff.decode("utf-8", errors="replace")
    if not console.is_terminal:
        console.file.write(text)
        console.file.flush()
        return
    for line in text.splitlines():
        style = ""
        if line.startswith(("+++", "---", "diff --git", "new file", "deleted file")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        console.print(Text(line, style=style), soft_wrap=True, highlight=False)


def print_summary(console: Console, result: RunResult, *, written: bool) -> None:
    """Per-file changes, every skip with its reason, every error, then the totals."""
    for f in result.files:
        if f.status == "changed":
            verb = "rewrote" if written else "would rewrite"
            console.print(f"[green]{verb}[/] {escape(f.path)}: {_plural(len(f.changes), 'change')}")
        if f.status == "error":
            console.print(f"[red]error[/] {escape(f.path)}: {escape(f.error or '')}")
        for s in f.skips:
            console.print(f"[yellow]skip[/] {escape(f.path)}:{s.line}: {escape(s.reason)} [dim]({s.codemod})[/]")
    for path, line, what, why in propagation(result):
        console.print(f"[cyan]{escape(what)}[/] {escape(path)}:{line}: {escape(why)}")
    changed = len(result.changed)
    console.print(
        f"{_plural(result.scanned, 'file')} scanned, {result.parsed} parsed, "
        f"{changed} {'changed' if written else 'to change'} "
        f"({_plural(result.n_changes, 'change')}), {_plural(result.n_skips, 'skip')}, "
        f"{_plural(len(result.errors), 'error')}"
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def to_json(result: RunResult) -> str:
    """Changes and skips per file (files with neither are left out)."""
    files = []
    for f in result.files:
        if f.status == "unchanged" and not f.skips:
            continue
        files.append(
            {
                "path": f.path,
                "status": f.status,
                "changes": [
                    {"line": c.line, "col": c.col, "codemod": c.codemod, "what": c.what, "why": c.why}
                    for c in f.changes
                ],
                "skips": [
                    {"line": s.line, "col": s.col, "codemod": s.codemod, "reason": s.reason}
                    for s in f.skips
                ],
                "error": f.error,
            }
        )
    summary = {
        "files": result.scanned,
        "parsed": result.parsed,
        "changed": len(result.changed),
        "changes": result.n_changes,
        "skips": result.n_skips,
        "errors": len(result.errors),
    }
    return json.dumps({"summary": summary, "files": files}, indent=2, ensure_ascii=False) + "\n"


def to_markdown(result: RunResult, title: str = "asyncmig") -> str:
    """A pull-request body: summary table, per-file diffs, every skip with its reason."""
    out = [f"## {title}", ""]
    by_codemod: Counter[str] = Counter()
    skips_by_codemod: Counter[str] = Counter()
    for f in result.files:
        by_codemod.update(c.codemod for c in f.changes)
        skips_by_codemod.update(s.codemod for s in f.skips)
    out += [
        f"{len(result.changed)} of {result.scanned} files change: "
        f"{result.n_changes} sites rewritten, {result.n_skips} left alone, "
        f"{len(result.errors)} errors.",
        "",
        *([f"Tests (verify, before → after): {result.extra['tests']}", ""] if result.extra.get("tests") else []),
        "| codemod | changes | skips |",
        "|---|---:|---:|",
    ]
    for name in sorted(set(by_codemod) | set(skips_by_codemod)):
        out.append(f"| `{name}` | {by_codemod[name]} | {skips_by_codemod[name]} |")
    out.append("")
    propagated = propagation(result)
    if propagated:
        out += ["### Async propagation", "", "| where | outcome | why |", "|---|---|---|"]
        for path, line, what, why in propagated:
            out.append(f"| `{path}:{line}` | {what} | {_cell(why)} |")
        out.append("")
    timeouts = new_timeouts(result)
    if timeouts:
        out += [
            "### Calls that now time out",
            "",
            "These calls gave no `timeout=`; the shared client's timeout applies to them now.",
            "",
            "| where | before | now |",
            "|---|---|---|",
        ]
        for path, line, before, now in timeouts:
            out.append(f"| `{path}:{line}` | {before} | {now} |")
        out.append("")
    changed = [f for f in result.files if f.status == "changed"]
    if changed:
        out += ["### Changes", ""]
        for f in changed:
            out += [f"#### `{f.path}`", ""]
            out += [f"- line {c.line}: {c.what}" for c in f.changes]
            diff = file_diff(f.path, f.old, f.new).decode("utf-8", errors="replace")
            out += ["", "```diff", diff.rstrip("\n"), "```", ""]
    skipped = [(f, s) for f in result.files for s in f.skips]
    if skipped:
        out += ["### Left alone", "", "| file:line | codemod | reason |", "|---|---|---|"]
        for f, s in skipped:
            out.append(f"| `{f.path}:{s.line}` | `{s.codemod}` | {_cell(s.reason)} |")
        out.append("")
    errors = result.errors
    if errors:
        out += ["### Errors", ""]
        out += [f"- `{f.path}`: {f.error}" for f in errors]
        out.append("")
    return "\n".join(out)


def propagation(result: RunResult) -> list[tuple[str, int, str, str]]:
    """``(path, line, outcome, why)`` of each function async propagation made async, each
    offloaded call and each helper that stayed sync (DESIGN §5)."""
    rows = []
    for f in result.files:
        for c in f.changes:
            if c.codemod != "async-propagation":
                continue
            if not c.why and c.what.endswith(")") and " (why: " in c.what:  # read back from a commit
                what, _, why = c.what[:-1].partition(" (why: ")
                c = replace(c, what=what, why=why)
            if c.what.startswith("def "):
                rows.append((f.path, c.line, "made async: " + c.what.split(" → ")[0][4:], c.why))
            elif " → await asyncio.to_thread(" in c.what or _EXECUTOR_OFFLOAD.search(c.what):
                rows.append((f.path, c.line, "offloaded: " + c.what.split("(")[0], c.why))
        for s in f.skips:
            name, sep, rest = s.reason.partition(" stays sync: ")
            if s.codemod == "async-propagation" and sep:
                rows.append((f.path, s.line, "stays sync: " + name, rest.rpartition("; offloaded")[0] or rest))
    return rows


# async-propagation's offload to a dedicated executor: "helper(...) → await run_in_x_executor(helper, ...)"
_EXECUTOR_OFFLOAD = re.compile(r" → await run_in_\w+_executor\(")
# requests-to-httpx marks a call that gave no timeout: "...; no timeout= given: <before>, now <after>"
_NEW_TIMEOUT = "; no timeout= given: "


def new_timeouts(result: RunResult) -> list[tuple[str, int, str, str]]:
    """``(path, line, before, now)`` of each migrated HTTP call that gave no ``timeout=``."""
    rows = []
    for f in result.files:
        for c in f.changes:
            _, marked, rest = c.what.partition(_NEW_TIMEOUT)
            if marked:
                before, _, now = rest.partition(", now ")
                rows.append((f.path, c.line, before, now.split("; ", 1)[0]))
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def counts(files: Iterable[FileResult]) -> tuple[int, int]:
    files = list(files)
    return sum(len(f.changes) for f in files), sum(len(f.skips) for f in files)
