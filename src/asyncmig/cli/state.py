"""What the top-level callback learned (``--config``), for commands to read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class State:
    config: Path | None = None


STATE = State()
