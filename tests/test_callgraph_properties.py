"""Generated modules through the call-graph extractor: never raises, never invents sites."""

from __future__ import annotations

import ast

import hypothesmith
from hypothesis import HealthCheck, given, settings

from asyncmig.callgraph import CallGraph, ModuleSummary, extract
from asyncmig.scan import analyse

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
# Imports that make every name a generated module may call resolvable to blocking APIs.
PRELUDE = "import time, requests, threading, subprocess\nfrom pathlib import Path\n"


def summarize(source: str) -> ModuleSummary:
    summary = extract(source.encode("utf-8"), "gen", "gen.py")
    assert isinstance(summary, ModuleSummary)
    return summary


@SETTINGS
@given(hypothesmith.from_grammar())
def test_grammar_modules_never_raise(source: str) -> None:
    for text in (source, PRELUDE + source):
        summary = summarize(text)
        try:
            ast.parse(text)
        except (SyntaxError, ValueError):
            assert summary.error is not None
            continue
        assert summary.error is None
        result = analyse([summary])  # the graph over one module works too
        assert all(f.path == "gen.py" and f.line >= 1 and f.col >= 1 for f in result.findings)
        CallGraph.build([summary]).reached  # noqa: B018


@SETTINGS
@given(hypothesmith.from_node())
def test_node_modules_have_no_sites(source: str) -> None:
    # from_node modules import nothing blocking: no site may be found.
    summary = summarize(source)
    assert summary.sites == (), summary.sites
