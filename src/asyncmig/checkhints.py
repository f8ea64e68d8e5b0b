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
anywhere in the same innermost function.

The dry pass runs on a *view* of the file (:func:`focus`): the imports, module-level
instances, the functions that hold a failing site, and the classes around them (header,
class-level assignments, ``__init__``; for requests-to-httpx also the methods that assign
``self.x``, which type ``self.session``-like receivers), each line mapped back to its
number in the file; every other line is left out. A codemod decides a site from its function, the module's imports and those
attributes, so the answer is the one of the whole file (a test pins it on every golden
case) at a fraction of LibCST's cost on a large module. Results
are cached by file content, codemod, settings and lines, so a warm ``check`` runs no
codemod; LibCST is imported only when some site fails.
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
from asyncmig.scan import CACHE_VERSION, Finding, _map

_WHOLE_FAN_OUT = frozenset({"thread", "thread-join", "executor"})
OFF_THE_LOOP = "move it off the loop (`await asyncio.to_thread(...)`) or mark the line `# asyncmig: skip`"


def hints(
    findings: Iterable[Finding],
    root: Path,
    env: Environment | None,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
) -> dict[Finding, str]:
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
    jobs_: list[tuple] = []
    keys: list[tuple[str | None, tuple[str, str]]] = []
    for path, codemods in wanted.items():
        digest, data = cache.fingerprint(path)
        if data is None:
            try:
                data = (root / path).read_bytes()
            except OSError:
                data = b""
        spans[path] = _function_spans(data)
        lines = sorted({f.line for f in findings if f.path == path})
        for codemod in sorted(codemods):
            key = f"{digest}\0{codemod}\0{env_key}\0{lines}"
            value = cache.get(key) if digest is not None else None
            if isinstance(value, tuple):
                dry[(path, codemod)] = value
                continue
            view, numbers = focus(data, lines, attributes=codemod == "requests-to-httpx")
            jobs_.append((view, path, codemod, env, numbers))
            keys.append((key if digest is not None else None, (path, codemod)))
    # A dry pass costs a LibCST parse: from a few files on, a process pool pays.
    for (key, where), value in zip(keys, _map(_dry_pass_job, jobs_, jobs, False, threshold=4)):
        dry[where] = value
        if key is not None:
            cache.put(key, value)
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


def _dry_pass_job(args: tuple):
    return _dry_pass(*args)


def _dry_pass(source: bytes, path: str, codemod: str, env: Environment, numbers: list[int] | None = None):
    """(lines changed, (line, skip reason) pairs, why the whole file is left alone or None);
    ``numbers[i]`` is the line of the file that line ``i + 1`` of ``source`` shows."""
    from asyncmig import registry
    from asyncmig.engine import CodemodSpec, transform_source

    cls = registry.get(codemod)
    result = transform_source(source, path, [CodemodSpec(cls, cls.parse_options({}))], env)
    whole = None
    if result.status == "error":
        whole = result.error or "it cannot be rewritten"
    elif result.status == "skipped":
        whole = "; ".join(s.reason for s in result.skips if s.codemod == "*") or "it is skipped"
    def line(n: int) -> int:
        return numbers[n - 1] if numbers is not None and 0 < n <= len(numbers) else n

    changed = tuple(sorted({line(c.line) for c in result.changes})) if result.status == "changed" else ()
    skipped = tuple((line(s.line), s.reason) for s in result.skips if s.codemod != "*")
    return changed, skipped, whole


def focus(source: bytes, keep: Iterable[int], *, attributes: bool = False) -> tuple[bytes, list[int]]:
    """A view of ``source`` holding what a codemod needs to decide the sites on the ``keep``
    lines (see the module docstring), and the original number of each of its lines;
    ``source`` itself (and its own numbers) when that fails.

    Kept: imports, module-level assignments of a call (``session = requests.Session()``),
    the functions holding a ``keep`` line, and the classes around them with their
    class-level assignments, ``__init__`` and (``attributes``) every method that assigns
    ``self.x``. Everything else becomes empty lines (a class body keeps at least ``...``).
    """
    whole = (source, list(range(1, source.count(b"\n") + 2)))
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return whole
    keep = frozenset(keep)
    kept: set[int] = set()

    def span(node: ast.stmt) -> range:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        return range(first, (node.end_lineno or node.lineno) + 1)

    def holds(node: ast.stmt) -> bool:
        return any(line in keep for line in span(node))

    def body(statements: list[ast.stmt], in_class: bool) -> None:
        for node in statements:
            lines = span(node)
            if isinstance(node, (ast.Import, ast.ImportFrom)) or holds(node) and not isinstance(node, ast.ClassDef):
                kept.update(lines)
            elif isinstance(node, ast.ClassDef):
                if holds(node):
                    kept.update(range(lines.start, node.body[0].lineno))  # decorators and header
                    body(node.body, True)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if in_class and (node.name == "__init__" or (attributes and _assigns_self(node))):
                    kept.update(lines)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                if in_class or isinstance(node.value, ast.Call):
                    kept.update(lines)
            elif isinstance(node, (ast.If, ast.Try)) and all(
                isinstance(n, (ast.Import, ast.ImportFrom, ast.Pass, ast.Assign, ast.Expr, ast.If, ast.Try))
                for n in ast.walk(node) if isinstance(n, ast.stmt)
            ):
                kept.update(lines)  # ``try: import x`` / ``if TYPE_CHECKING: import y``

    body(tree.body, False)
    lines = source.split(b"\n")
    if len(kept) >= len(lines) - 1:
        return whole
    numbers = [n for n in range(1, len(lines) + 1) if n in kept]
    view = b"\n".join(lines[n - 1] for n in numbers) + b"\n"
    try:
        ast.parse(view)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return whole
    return view, numbers


def _assigns_self(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = [*node.args.posonlyargs, *node.args.args]
    if not args:
        return False
    me = args[0].arg
    for child in ast.walk(node):
        if isinstance(child, ast.Assign):
            targets = child.targets
        elif isinstance(child, (ast.AnnAssign, ast.AugAssign)):
            targets = [child.target]
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == me:
                return True
    return False


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
