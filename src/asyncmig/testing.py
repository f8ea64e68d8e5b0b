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


def assert_golden(case: GoldenCase, update: bool = False) -> None:
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
