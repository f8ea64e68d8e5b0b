"""What ``check`` tells about each failing site: the true next step (issue: "check tells
the truth").

``asyncmig run X rewrites it`` is said only when codemod ``X``'s own dry pass over that
file rewrites that site: the engine's :func:`~asyncmig.engine.transform_source`, with the
same ``[clients]`` settings ``asyncmig run`` uses, nothing written. Otherwise the hint names
the codemod's skip reason, or the next step:

- a site the codemod does not recognize in this form: move it off the loop or mark it;
- a kind no codemod rewrites (``subprocess``, ``urllib``): run it in a worker thread;
- a site in a sync helper async code calls (``reached``): ``asyncmig run`` leaves sync
  code alone unless asked, so the hint names the dry run with ``--sync-callers offload``
  / ``propagate`` that shows what can be done at its async callers (no promise: a helper
  run as a callback, say, cannot be offloaded at a call site).

A site counts as rewritten when a change of the codemod starts on its line, or — for the
thread and executor kinds, whose fan-out is rewritten as a whole from its first statement —
anywhere in the same innermost function. Results are cached by file content, codemod and
settings, so a warm ``check`` runs no codemod; LibCST is imported only when some site fails.
"""

from __future__ import annotations

import ast
import hashlib
import pickle
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from asyncmig.cache import FileCache
from asyncmig.models import Environment
from asyncmig.scan import CACHE_VERSION, Finding

_WHOLE_FAN_OUT = frozenset({"thread", "thread-join", "executor"})
OFF_THE_LOOP = "move it off the loop (`await asyncio.to_thread(...)`) or mark the line `# asyncmig: skip`"


def hints(findings: Iterable[Finding], root: Path, env: Environment | None, *, use_cache: bool = True) -> dict[Finding, str]:
    """The next step for each finding (text after ``; `` in the check message)."""
    findings = list(findings)
    out: dict[Finding, str] = {}
    wanted: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        if f.codemod is None:
            out[f] = (
                f"no codemod rewrites {f.kind} calls: run it in a worker thread "
                "(`await asyncio.to_thread(...)`) or mark the line `# asyncmig: skip`"
            )
        elif f.context == "reached":
            helper = f.function.rpartition(".")[2]
            out[f] = (
                f"it runs in `{helper}`, sync code that async code runs, which `asyncmig run {f.codemod}` "
                f"leaves alone; next: `asyncmig run {f.codemod} --sync-callers offload --dry-run` "
                "(or `propagate`) shows which of its async callers can move it off the loop"
            )
        else:
            wanted[f.path].add(f.codemod)
    if not wanted:
        return out
    cache = FileCache(root, "hints", CACHE_VERSION, enabled=use_cache)
    env = env or Environment()
    env_key = hashlib.sha256(pickle.dumps(env.settings)).hexdigest()[:16]
    dry: dict[tuple[str, str], tuple[tuple[int, ...], tuple[tuple[int, str], ...], str | None]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for path, codemods in wanted.items():
        digest, data = cache.fingerprint(path)
        if data is None:
            try:
                data = (root / path).read_bytes()
            except OSError:
                data = b""
        spans[path] = _function_spans(data)
        for codemod in sorted(codemods):
            key = f"{digest}\0{codemod}\0{env_key}"
            value = cache.get(key) if digest is not None else None
            if not isinstance(value, tuple):
                value = _dry_pass(data, path, codemod, env)
                if digest is not None:
                    cache.put(key, value)
            dry[(path, codemod)] = value
    cache.save()
    for f in findings:
        if f in out:
            continue
        changed, skipped, whole = dry[(f.path, f.codemod)]
        run = f"`asyncmig run {f.codemod}`"
        if whole is not None:
            out[f] = f"{run} leaves this file alone ({whole}); {OFF_THE_LOOP}"
            continue
        near = _same_function(spans[f.path], f.line) if f.kind in _WHOLE_FAN_OUT else None
        if f.line in changed or (near is not None and any(near[0] <= line <= near[1] for line in changed)):
            out[f] = f"{run} rewrites it"
            continue
        reason = next((r for line, r in skipped if line == f.line), None)
        if reason is None and near is not None:
            reason = next((r for line, r in skipped if near[0] <= line <= near[1]), None)
        if reason is not None:
            out[f] = f"{run} leaves it alone: {reason}"
        else:
            out[f] = f"{run} does not rewrite this form; {OFF_THE_LOOP}"
    return out


def _dry_pass(source: bytes, path: str, codemod: str, env: Environment):
    """(lines changed, (line, skip reason) pairs, why the whole file is left alone or None)."""
    from asyncmig import registry
    from asyncmig.engine import CodemodSpec, transform_source

    cls = registry.get(codemod)
    result = transform_source(source, path, [CodemodSpec(cls, cls.parse_options({}))], env)
    whole = None
    if result.status == "error":
        whole = result.error or "it cannot be rewritten"
    elif result.status == "skipped":
        whole = "; ".join(s.reason for s in result.skips if s.codemod == "*") or "it is skipped"
    changed = tuple(sorted({c.line for c in result.changes})) if result.status == "changed" else ()
    skipped = tuple((s.line, s.reason) for s in result.skips if s.codemod != "*")
    return changed, skipped, whole


def _function_spans(source: bytes) -> list[tuple[int, int]]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]


def _same_function(spans: list[tuple[int, int]], line: int) -> tuple[int, int] | None:
    """The innermost function span holding ``line``."""
    best = None
    for first, last in spans:
        if first <= line <= last and (best is None or first >= best[0]):
            best = (first, last)
    return best
