"""Every golden case: exact output, idempotency and the exact skips."""

from __future__ import annotations

from pathlib import Path

import pytest

from asyncmig.testing import assert_golden, load_cases

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
CASES = load_cases(GOLDEN)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden(case, update_golden: bool) -> None:
    assert_golden(case, update=update_golden)
