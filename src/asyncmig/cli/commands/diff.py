"""``asyncmig diff --phase N``: the applied phase branch against its base, for review."""

from __future__ import annotations

from asyncmig.cli.commands.apply import Format, FormatOption, PhaseNumber, render
from asyncmig.cli.commands.plan import current_plan


def diff(phase: PhaseNumber, format: FormatOption = Format.diff) -> None:
    """Print phase N's change (its branch against its base) as a diff, markdown or json."""
    from asyncmig.planner import diff_phase

    result = diff_phase(current_plan(), phase)
    render(result, format, f"asyncmig phase {phase}: {result.phase.name} ({result.branch})", written=True)
