"""prefilter → parse → metadata → transform → round-trip and compile checks → FileResult.

The engine is the only place that reads and writes files. Per file it:

1. skips files no codemod's substring prefilter matches (no parse at all);
2. parses the bytes with LibCST (encoding cookie honoured, BOM kept aside);
3. runs each codemod in turn (each resolves its own metadata), collecting changes/skips;
4. refuses output whose untouched parts would not round-trip byte for byte, or that does
   not compile, reporting the file and leaving it alone.

A codemod that raises is reported as an error for that file; the run goes on.
"""

from __future__ import annotations

import codecs
import os
import sys
import tokenize
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext

from asyncmig.codemod import SOURCE_KEY, AsyncCodemod
from asyncmig.discovery import discover, write_atomic
from asyncmig.models import Environment, FileResult, RunResult, Skip
from asyncmig.names import has_skip_file_comment
from asyncmig.precheck import index_calls

SKIP_FILE_REASON = "skipped by request (# asyncmig: skip-file)"
ROUND_TRIP_REASON = (
    "LibCST does not reproduce this file byte for byte (its untouched parts would change); "
    "left alone — migrate it by hand or report the construct upstream"
)
# Below this many candidate files a process pool costs more than it saves.
POOL_THRESHOLD = 4


@dataclass(frozen=True)
class CodemodSpec:
    """A codemod class with its parsed options, as a phase or ``run`` asks for it."""

    cls: type[AsyncCodemod]
    options: Any

    @classmethod
    def of(cls, codemod: type[AsyncCodemod], **options: Any) -> CodemodSpec:
        return cls(codemod, codemod.parse_options(options))


def could_change(source: bytes, path: str, specs: Sequence[CodemodSpec], env: Environment) -> bool:
    return any(spec.cls.could_change(source, path, env) for spec in specs)


def needed_specs(
    source: bytes, path: str, specs: Sequence[CodemodSpec], env: Environment
) -> list[CodemodSpec]:
    """The specs worth a LibCST parse: substring prefilter first, then the ast pass."""
    specs = [spec for spec in specs if spec.cls.could_change(source, path, env)]
    if not specs or not all(s.cls.AST_TRIGGERS or s.cls.AST_METHODS for s in specs):
        return specs
    forced = frozenset(name for p, name in env.forced_async if p == path)
    index = index_calls(source, forced)
    if index is None:
        return specs  # LibCST parses it and reports the error
    return [
        spec
        for spec in specs
        if index.matches(spec.cls.AST_TRIGGERS, spec.cls.AST_METHODS, spec.cls.AST_SYNC_TOO)
    ]


def transform_source(
    source: bytes, path: str, specs: Sequence[CodemodSpec], env: Environment | None = None
) -> FileResult:
    """Run ``specs`` over one file's bytes. Never raises for a bad file: errors are results."""
    env = env or Environment()
    specs = needed_specs(source, path, specs, env)
    if not specs:
        return FileResult(path, "unchanged")
    if has_skip_file_comment(source[:4096]):
        return FileResult(path, "skipped", skips=(Skip(1, 1, "*", SKIP_FILE_REASON),))

    bom = codecs.BOM_UTF8 if source.startswith(codecs.BOM_UTF8) else b""
    body = source[len(bom):]
    try:
        text = _decode(source)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return FileResult(path, "error", error=f"cannot decode: {exc}")
    try:
        module = cst.parse_module(body)
    except (cst.ParserSyntaxError, RecursionError, ValueError, UnicodeDecodeError) as exc:
        return FileResult(path, "error", error=f"cannot parse: {_one_line(exc)}")

    changes, skips = [], []
    current = module
    for spec in specs:
        context = CodemodContext(filename=path, full_module_name=_module_name(path))
        context.scratch[SOURCE_KEY] = text if current is module else None
        codemod = spec.cls(context, spec.options, env)
        try:
            current = codemod.transform_module(current)
        except Exception as exc:  # a codemod bug must not stop a 5,000-file run
            return FileResult(
                path, "error", error=f"{spec.cls.NAME} failed: {type(exc).__name__}: {exc}"
            )
        changes.extend(codemod.changes)
        skips.extend(codemod.skips)

    changes.sort()
    skips.sort()
    if not changes:
        return FileResult(path, "unchanged", skips=tuple(skips))

    if bom + module.bytes != source:
        return FileResult(path, "skipped", skips=(Skip(1, 1, "*", ROUND_TRIP_REASON), *skips))
    new = bom + current.bytes
    if new == source:
        return FileResult(path, "unchanged", skips=tuple(skips))
    try:
        compile(new, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return FileResult(
            path,
            "error",
            skips=tuple(skips),
            error=f"the rewritten file does not compile ({_one_line(exc)}); left alone",
        )
    return FileResult(path, "changed", tuple(changes), tuple(skips), old=source, new=new)


def _decode(source: bytes) -> str:
    encoding, _ = tokenize.detect_encoding(BytesIO(source).readline)
    return source.decode(encoding)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _module_name(path: str) -> str:
    name = path[:-3] if path.endswith(".py") else path
    name = name.replace("/", ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def _work(args: tuple[str, str, tuple[CodemodSpec, ...], Environment]) -> FileResult:
    root, path, specs, env = args
    try:
        source = (Path(root) / path).read_bytes()
    except OSError as exc:
        return FileResult(path, "error", error=f"cannot read: {exc}")
    return transform_source(source, path, specs, env)


def run(
    specs: Sequence[CodemodSpec],
    paths: Sequence[str | Path],
    root: Path,
    *,
    exclude: Iterable[str] = (),
    env: Environment | None = None,
    jobs: int | None = None,
    write: bool = False,
    progress: bool = False,
    files: Sequence[str] | None = None,
) -> RunResult:
    """Run ``specs`` over the Python files under ``paths``; write only when asked.

    ``files`` (relative to ``root``) replaces discovery when the caller already knows them.
    """
    env = env or Environment()
    root = root.resolve()
    if env.setting("root") is None:  # codemods resolve package layout (__init__.py) from it
        env = replace(env, settings=(*env.settings, ("root", str(root))))
    specs = tuple(specs)
    rels = list(files) if files is not None else discover(paths, root, exclude)

    candidates: list[str] = []
    for rel in rels:
        try:
            source = (root / rel).read_bytes()
        except OSError:
            candidates.append(rel)  # let the worker report it
            continue
        if could_change(source, rel, specs, env):
            candidates.append(rel)

    results = list(_map(_work, [(str(root), rel, specs, env) for rel in candidates], jobs, progress))
    for spec in specs:
        try:
            added = spec.cls.finalize(spec.options, env, root, tuple(results))
        except Exception as exc:  # a codemod bug must not stop the run, nor write half of it
            results = _failed_finalize(results, spec.cls.NAME, exc)
            continue
        if added:  # a finalize result replaces the file's earlier one (it saw it)
            again = {r.path for r in added}
            results = [r for r in results if r.path not in again] + list(added)
    results.sort(key=lambda r: r.path)

    if write:
        results = [_write(root, r) for r in results]
    return RunResult(files=tuple(results), scanned=len(rels), parsed=len(candidates))


def _failed_finalize(results: list[FileResult], name: str, exc: Exception) -> list[FileResult]:
    """``results`` once codemod ``name``'s finalize raised: every file it changed is
    reported and left untouched (its rewrite may rely on what finalize would have written,
    such as the shared-client module)."""
    error = f"{name} failed while finishing the run: {type(exc).__name__}: {_one_line(exc)}"
    return [
        FileResult(r.path, "error", error=error)
        if r.status == "changed" and any(c.codemod == name for c in r.changes)
        else r
        for r in results
    ]


def transform_files(
    root: Path,
    work: Sequence[tuple[str, Sequence[CodemodSpec], Environment]],
    *,
    jobs: int | None = None,
    progress: bool = False,
) -> list[FileResult]:
    """Each ``(path, specs, env)`` of ``work`` through :func:`transform_source`, nothing
    written and no project-level files generated; in a process pool from two files on
    (``plan`` and ``init`` count a few big files of several phases at once)."""
    root = root.resolve()
    items = []
    for path, specs, env in work:
        if env.setting("root") is None:
            env = replace(env, settings=(*env.settings, ("root", str(root))))
        items.append((str(root), path, tuple(specs), env))
    return list(_map(_work, items, jobs, progress, threshold=2))


def write_results(root: Path, result: RunResult) -> RunResult:
    """Write the changed files of ``result`` (each only if unchanged on disk since it was read)."""
    return replace(result, files=tuple(_write(root.resolve(), r) for r in result.files))


def _write(root: Path, result: FileResult) -> FileResult:
    if result.status != "changed" or result.new is None:
        return result
    target = root / result.path
    try:
        current = target.read_bytes() if target.exists() else None
    except OSError as exc:
        return FileResult(result.path, "error", skips=result.skips, error=f"cannot read: {exc}")
    if current != result.old:
        return FileResult(
            result.path,
            "error",
            skips=result.skips,
            error="the file changed on disk during the run; left alone",
        )
    write_atomic(target, result.new)
    return result


def _map(
    fn: Callable[[Any], FileResult],
    items: list[Any],
    jobs: int | None,
    progress: bool,
    threshold: int = POOL_THRESHOLD,
) -> Iterable[FileResult]:
    jobs = jobs or os.cpu_count() or 1
    bar = _progress(len(items)) if progress and sys.stderr.isatty() and items else None
    try:
        if jobs <= 1 or len(items) < threshold:
            for item in items:
                yield fn(item)
                if bar:
                    bar[0].advance(bar[1])
            return
        chunk = max(1, len(items) // (jobs * 8))
        with ProcessPoolExecutor(max_workers=min(jobs, len(items))) as pool:
            for result in pool.map(fn, items, chunksize=chunk):
                yield result
                if bar:
                    bar[0].advance(bar[1])
    finally:
        if bar:
            bar[0].stop()


def _progress(total: int):
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    task = progress.add_task("rewriting", total=total)
    progress.start()
    return progress, task
