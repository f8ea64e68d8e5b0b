"""Golden cases: the unit of codemod behaviour (public, so plugin authors can use it).

A case is a folder ``golden/<codemod>/<case>/`` with ``input.py``, ``expected.py`` (equal to
the input for a no-change case) and an optional ``case.toml``::

    description = "what the case shows"
    path = "app/webhooks.py"        # the path the file pretends to have (default: case.py)

    [options]                       # codemod options, as in a phase
    max_concurrency = 8

    [env]                           # project facts (see AsyncCodemod.golden_env)
    forced_async = ["helper"]       # functions propagation made async

    [[skips]]                       # every skip expected, exactly
    line = 7
    reason = "skipped by request (# asyncmig: skip)"

``assert_golden`` checks the exact output, that the output run again changes nothing
(idempotency) and the exact skips. With ``update=True`` it rewrites ``expected.py``.

A case may also be a small project (:class:`GoldenTreeCase`): ``input/`` and ``expected/``
trees (every file of the project, changed or not) and a ``case.toml`` saying which
codemods the phase runs and how sync helpers are handled (DESIGN §5)::

    description = "a helper two modules below the handler"
    codemods = ["sleep-to-asyncio"]
    sync_callers = "propagate"      # offload | propagate
    keep_sync = ["pkg.api.fetch"]   # optional
    unwrap_offloads = false         # optional
    ignore = ["pkg/http_clients.py"] # files not compared (generated, pinned elsewhere)

    [options.async-propagation]     # options per codemod, as in a phase
    gather_comprehensions = true

    [[skips]]
    path = "pkg/helpers.py"
    line = 4
    reason = "..."

The tree is copied to a temporary folder and run exactly as ``asyncmig run`` /
``apply`` run a phase (call graph, propagation plan, engine, generated files); a
``migrations.toml`` in the tree supplies its ``[clients]`` and ``[executors]``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from asyncmig import registry
from asyncmig.engine import CodemodSpec, transform_source
from asyncmig.models import FileResult

DEFAULT_CASE_PATH = "case.py"


@dataclass(frozen=True)
class GoldenCase:
    codemod: str
    name: str
    directory: Path
    path: str = DEFAULT_CASE_PATH
    options: dict[str, Any] = field(default_factory=dict)
    env: dict[str, Any] = field(default_factory=dict)
    skips: tuple[tuple[int, str], ...] = ()
    description: str = ""

    @property
    def id(self) -> str:
        return f"{self.codemod}/{self.name}"

    @property
    def input(self) -> bytes:
        return (self.directory / "input.py").read_bytes()

    @property
    def expected_path(self) -> Path:
        return self.directory / "expected.py"


def load_cases(golden_root: Path, codemod: str | None = None) -> list[GoldenCase]:
    """Every case under ``golden_root`` (optionally one codemod's), sorted by id."""
    cases = []
    for codemod_dir in sorted(p for p in golden_root.iterdir() if p.is_dir()):
        if codemod and codemod_dir.name != codemod:
            continue
        for case_dir in sorted(p for p in codemod_dir.iterdir() if p.is_dir()):
            if (case_dir / "input.py").exists():
                cases.append(load_case(case_dir))
            elif (case_dir / "input").is_dir():
                cases.append(load_tree_case(case_dir))
    return cases


def load_case(directory: Path) -> GoldenCase:
    meta: dict[str, Any] = {}
    toml_path = directory / "case.toml"
    if toml_path.exists():
        meta = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    unknown = set(meta) - {"description", "path", "options", "env", "skips"}
    if unknown:
        raise ValueError(f"{toml_path}: unknown keys {sorted(unknown)}")
    skips = tuple(sorted((int(s["line"]), str(s["reason"])) for s in meta.get("skips", [])))
    return GoldenCase(
        codemod=directory.parent.name,
        name=directory.name,
        directory=directory,
        path=meta.get("path", DEFAULT_CASE_PATH),
        options=dict(meta.get("options", {})),
        env=dict(meta.get("env", {})),
        skips=skips,
        description=meta.get("description", ""),
    )


def run_case(case: GoldenCase, source: bytes | None = None) -> FileResult:
    cls = registry.get(case.codemod)
    spec = CodemodSpec(cls, cls.parse_options(case.options))
    env = cls.golden_env(case.env, case.path)
    return transform_source(case.input if source is None else source, case.path, [spec], env)


def assert_golden(case: GoldenCase | GoldenTreeCase, update: bool = False) -> None:
    if isinstance(case, GoldenTreeCase):
        assert_golden_tree(case, update)
        return
    result = run_case(case)
    assert result.status != "error", f"{case.id}: {result.error}"
    output = result.new if result.status == "changed" else case.input
    assert output is not None
    if update:
        case.expected_path.write_bytes(output)
    expected = case.expected_path.read_bytes()
    if output != expected:
        import difflib

        diff = "".join(
            difflib.unified_diff(
                expected.decode("utf-8", "replace").splitlines(True),
                output.decode("utf-8", "replace").splitlines(True),
                "expected.py",
                "actual output",
            )
        )
        raise AssertionError(f"{case.id}: output differs from expected.py\n{diff}")
    if expected == case.input:
        assert not result.changes, f"{case.id}: no-change case reported changes {result.changes}"
    else:
        assert result.changes, f"{case.id}: the file changed but no change was reported"

    again = run_case(case, output)
    assert again.status != "error", f"{case.id}: second run failed: {again.error}"
    assert again.status != "changed", (
        f"{case.id}: not idempotent; the second run changed:\n"
        + (again.new or b"").decode("utf-8", "replace")
    )

    got = tuple(sorted((s.line, s.reason) for s in result.skips))
    assert got == case.skips, (
        f"{case.id}: skips differ\n  expected: {list(case.skips)}\n  got:      {list(got)}"
    )


# -- multi-module cases ---------------------------------------------------------------------

_TREE_KEYS = {
    "description", "codemods", "sync_callers", "keep_sync", "unwrap_offloads", "options", "skips", "ignore",
}


@dataclass(frozen=True)
class GoldenTreeCase:
    """A golden case that is a small project: ``input/`` and ``expected/`` trees."""

    codemod: str
    name: str
    directory: Path
    codemods: tuple[str, ...] = ()
    sync_callers: str = "report"
    keep_sync: tuple[str, ...] = ()
    unwrap_offloads: bool = False
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    skips: tuple[tuple[str, int, str], ...] = ()  # (path, line, reason)
    description: str = ""
    ignore: tuple[str, ...] = ()  # output files left out of the comparison

    @property
    def id(self) -> str:
        return f"{self.codemod}/{self.name}"


def load_tree_case(directory: Path) -> GoldenTreeCase:
    toml_path = directory / "case.toml"
    meta = tomllib.loads(toml_path.read_text(encoding="utf-8")) if toml_path.exists() else {}
    unknown = set(meta) - _TREE_KEYS
    if unknown:
        raise ValueError(f"{toml_path}: unknown keys {sorted(unknown)}")
    skips = tuple(
        sorted((str(s["path"]), int(s["line"]), str(s["reason"])) for s in meta.get("skips", []))
    )
    return GoldenTreeCase(
        codemod=directory.parent.name,
        name=directory.name,
        directory=directory,
        codemods=tuple(meta.get("codemods", ())),
        sync_callers=meta.get("sync_callers", "report"),
        keep_sync=tuple(meta.get("keep_sync", ())),
        unwrap_offloads=bool(meta.get("unwrap_offloads", False)),
        options={k: dict(v) for k, v in meta.get("options", {}).items()},
        skips=skips,
        description=meta.get("description", ""),
        ignore=tuple(meta.get("ignore", ())),
    )


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by ``/``-separated relative path (caches left out)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".asyncmig_cache" not in p.parts
    }


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def run_tree_case(case: GoldenTreeCase, root: Path):
    """Run the case's phase over the project in ``root`` (rewritten in place)."""
    from asyncmig import propagate
    from asyncmig.config import CONFIG_NAME, load_plan
    from asyncmig.engine import run as run_engine
    from asyncmig.planner import environment

    specs = []
    for name in case.codemods:
        cls = registry.get(name)
        specs.append(CodemodSpec(cls, cls.parse_options(case.options.get(name, {}))))
    settings = propagate.Settings(case.sync_callers, case.keep_sync, case.unwrap_offloads)  # type: ignore[arg-type]
    env = None
    if (root / CONFIG_NAME).is_file():  # the project's [clients] / [executors], as apply reads them
        env = environment(load_plan(root / CONFIG_NAME))
    specs, env, files = propagate.prepare_paths(
        specs, env, root, [root], settings=settings, options=case.options.get(propagate.CODEMOD)
    )
    return run_engine(specs, [root], root, env=env, jobs=1, write=True, files=files)


def assert_golden_tree(case: GoldenTreeCase, update: bool = False) -> None:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="asyncmig-golden-") as tmp:
        root = Path(tmp)
        source = read_tree(case.directory / "input")
        write_tree(root, source)
        result = run_tree_case(case, root)
        errors = [f"{f.path}: {f.error}" for f in result.files if f.status == "error"]
        assert not errors, f"{case.id}: {errors}"
        output = {k: v for k, v in read_tree(root).items() if k not in case.ignore}
        if update:
            import shutil

            shutil.rmtree(case.directory / "expected", ignore_errors=True)
            write_tree(case.directory / "expected", output)
        expected = read_tree(case.directory / "expected")
        if output != expected:
            import difflib

            diff = []
            for rel in sorted(set(output) | set(expected)):
                a = expected.get(rel, b"").decode("utf-8", "replace").splitlines(True)
                b = output.get(rel, b"").decode("utf-8", "replace").splitlines(True)
                diff += difflib.unified_diff(a, b, f"expected/{rel}", f"actual/{rel}")
            raise AssertionError(f"{case.id}: output differs from expected/\n{''.join(diff)}")
        if expected == source:
            assert not result.n_changes, f"{case.id}: no-change case reported changes"
        else:
            assert result.n_changes, f"{case.id}: files changed but no change was reported"

        again = run_tree_case(case, root)
        changed = [f.path for f in again.files if f.status in ("changed", "error")]
        assert not changed, f"{case.id}: not idempotent; the second run changed {changed}"

    got = tuple(sorted((f.path, s.line, s.reason) for f in result.files for s in f.skips))
    assert got == case.skips, (
        f"{case.id}: skips differ\n  expected: {list(case.skips)}\n  got:      {list(got)}"
    )
