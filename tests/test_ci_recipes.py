"""The CI recipes install asyncmig from its repository pinned to a commit, never by name
from the package index (where anyone could register ``asyncmig``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RECIPES = [
    "README.md",
    "docs/scan-and-check.md",
    "docs/planner.md",
    "docs/ci/asyncmig-review.yml",
    "docs/ci/pre-commit-config.example.yaml",
    ".pre-commit-hooks.yaml",
]
# `pip install asyncmig` (or `asyncmig==1.0`) as a command, not inside a warning about it.
BY_NAME = re.compile(r"^\s*(?:-\s*run:\s*)?(?:python -m )?pip install[^\n#`]*\basyncmig(?:[=<>~!][^\s]*)?\s*(?:&&|$)", re.M)
SHA = re.compile(r"\b[0-9a-f]{40}\b")


@pytest.mark.parametrize("rel", RECIPES)
def test_no_recipe_installs_asyncmig_by_name(rel):
    assert not BY_NAME.findall((ROOT / rel).read_text(encoding="utf-8"))


def test_the_pattern_catches_what_it_must():
    assert BY_NAME.findall("- run: pip install asyncmig && asyncmig check\n")
    assert BY_NAME.findall("      - run: pip install asyncmig\n")
    assert BY_NAME.findall("python -m pip install -q asyncmig==0.1.0\n")
    assert not BY_NAME.findall('pip install "asyncmig @ git+https://github.com/o/asyncmig@' + "a" * 40 + '"\n')


def test_the_review_workflow_builds_asyncmig_from_a_pinned_commit():
    text = (ROOT / "docs/ci/asyncmig-review.yml").read_text(encoding="utf-8")
    ref = re.search(r"^  ASYNCMIG_REF: (\S+)", text, re.M)
    assert ref and SHA.fullmatch(ref.group(1))
    assert "ref: ${{ env.ASYNCMIG_REF }}" in text
    assert "pip wheel --no-deps" in text


def test_pre_commit_examples_pin_a_full_commit():
    for rel in ("docs/ci/pre-commit-config.example.yaml", "docs/scan-and-check.md"):
        revs = re.findall(r"\brev: (\S+)", (ROOT / rel).read_text(encoding="utf-8"))
        assert revs and all(SHA.fullmatch(rev) for rev in revs), rel
