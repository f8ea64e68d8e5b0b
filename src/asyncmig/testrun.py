"""Before/after test counts of a phase's ``verify`` (docs/tests.md).

``apply --phase N --verify`` runs the phase's ``verify`` command on the base (before the
codemods) and on the phase's tree (after); pytest's summary line of each run is counted
here. The counts go into the phase commit as one line, which ``diff --phase N --format
markdown`` shows in the PR body::

    Tests (verify): 41 passed, 2 skipped → 41 passed, 2 skipped (pytest -q)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "Tests (verify): "
_OUTCOME = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)\b")
_SUMMARY = re.compile(r"^=*\s*(?:\d+ \w+(?:, )?)+.* in [\d.]+s", re.MULTILINE)
_ORDER = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")


@dataclass(frozen=True)
class Counts:
    """pytest's outcome counts of one run."""

    passed: int = 0
    failed: int = 0
    error: int = 0
    skipped: int = 0
    xfailed: int = 0
    xpassed: int = 0

    def __str__(self) -> str:
        parts = [f"{getattr(self, name)} {name}" for name in _ORDER if getattr(self, name)]
        return ", ".join(parts) or "no tests"


def counts_of(output: str | None) -> Counts | None:
    """The counts of pytest's last summary line in ``output`` (None: no pytest summary)."""
    if not output:
        return None
    lines = [line for line in output.splitlines() if _SUMMARY.search(line)]
    if not lines:
        return None
    found: dict[str, int] = {}
    for number, outcome in _OUTCOME.findall(lines[-1]):
        key = "error" if outcome.startswith("error") else outcome
        if key in _ORDER:
            found[key] = int(number)
    return Counts(**found)


def line(before: str | None, after: str | None, command: str) -> str | None:
    """The commit's line for the two runs' outputs, or None when neither was pytest."""
    old, new = counts_of(before), counts_of(after)
    if old is None and new is None:
        return None
    return f"{PREFIX}{old or 'not counted'} → {new or 'not counted'} ({command})"


def with_counts(message: str, counts: str | None) -> str:
    """``message`` with the counts line added after its summary paragraph."""
    if not counts:
        return message
    head, sep, rest = message.partition("\n\n")
    summary, sep2, listing = rest.partition("\n\n")
    return f"{head}{sep}{summary}\n{counts}{sep2}{listing}"


def read(message: str) -> str | None:
    """The counts (after the prefix) a phase commit's message holds, if any."""
    for text in message.splitlines():
        if text.startswith(PREFIX):
            return text[len(PREFIX):]
    return None


__all__ = ["PREFIX", "Counts", "counts_of", "line", "read", "with_counts"]
