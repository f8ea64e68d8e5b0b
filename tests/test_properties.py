"""Generated modules through every codemod: no crash, output parses, no-site input untouched."""

from __future__ import annotations

import hypothesmith
import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asyncmig import registry
from asyncmig.engine import CodemodSpec, transform_source

SPECS = [CodemodSpec(cls, cls.Options()) for cls in registry.codemods().values()]
# Makes every generated module pass every prefilter, so the parse/metadata/transform path
# runs for real instead of being skipped by the substring test.
TRIGGERS = "\n\n# " + " ".join(t for s in SPECS for t in s.cls.PREFILTER) + "\nasync def _asyncmig_probe():\n    pass\n"
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


def check(source: str) -> None:
    data = source.encode("utf-8")
    result = transform_source(data, "generated.py", SPECS)
    assert result.status in {"unchanged", "changed", "skipped", "error"}
    if result.status == "changed":
        cst.parse_module(result.new)
        compile(result.new, "generated.py", "exec", dont_inherit=True)
    else:
        assert result.new is None


@SETTINGS
@given(hypothesmith.from_grammar())
def test_grammar_modules(source: str) -> None:
    check(source)
    check(source + TRIGGERS)


@SETTINGS
@given(hypothesmith.from_node())
def test_node_modules_without_sites_come_back_identical(source: str) -> None:
    # from_node builds valid LibCST trees; they contain no call that resolves to a
    # blocking API (no imports of time/requests/threading), so nothing may change.
    result = transform_source((source + TRIGGERS).encode("utf-8"), "generated.py", SPECS)
    assert result.status in {"unchanged", "error", "skipped"}, result
    assert result.new is None


@SETTINGS
@given(st.sampled_from(["\r\n", "\n"]), st.sampled_from(["    ", "\t", "  "]), st.integers(0, 3))
def test_site_rewritten_whatever_the_layout(newline: str, indent: str, blank: int) -> None:
    lines = ["import time", *[""] * blank, "async def f():", f"{indent}time.sleep(1)  # keep", f"{indent}return 1"]
    source = newline.join(lines) + newline
    result = transform_source(source.encode(), "m.py", SPECS)
    expected = source.replace("import time", "import asyncio").replace(
        "time.sleep(1)", "await asyncio.sleep(1)"
    )
    if blank == 0:
        # LibCST's AddImportsVisitor separates a new import block from code (PEP 8).
        expected = expected.replace("import asyncio" + newline, "import asyncio" + newline * 2, 1)
    assert result.new == expected.encode()
