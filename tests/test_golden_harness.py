"""The golden harness itself must fail when behaviour drifts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asyncmig.testing import assert_golden, load_case

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "sleep-to-asyncio"


def copy_case(tmp_path: Path, name: str) -> Path:
    target = tmp_path / "sleep-to-asyncio" / name
    shutil.copytree(GOLDEN / name, target)
    return target


def test_edited_expected_file_fails(tmp_path: Path) -> None:
    case_dir = copy_case(tmp_path, "basic")
    expected = case_dir / "expected.py"
    expected.write_bytes(expected.read_bytes().replace(b"await asyncio.sleep", b"await asyncio.sleep "))
    with pytest.raises(AssertionError, match="output differs from expected.py"):
        assert_golden(load_case(case_dir))


def test_missing_expected_skip_fails(tmp_path: Path) -> None:
    case_dir = copy_case(tmp_path, "skip-comment")
    (case_dir / "case.toml").write_text('description = "no skips declared"\n')
    with pytest.raises(AssertionError, match="skips differ"):
        assert_golden(load_case(case_dir))


def test_update_golden_rewrites_expected(tmp_path: Path) -> None:
    case_dir = copy_case(tmp_path, "basic")
    good = (case_dir / "expected.py").read_bytes()
    (case_dir / "expected.py").write_bytes(b"stale\n")
    assert_golden(load_case(case_dir), update=True)
    assert (case_dir / "expected.py").read_bytes() == good


def test_unknown_case_key_is_rejected(tmp_path: Path) -> None:
    case_dir = copy_case(tmp_path, "basic")
    (case_dir / "case.toml").write_text("skip = []\n")
    with pytest.raises(ValueError, match="unknown keys"):
        load_case(case_dir)
