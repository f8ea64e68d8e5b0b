"""Makes the example importable as ``legacy_service`` (its parent folder on sys.path)."""

import sys
from pathlib import Path

EXAMPLES = str(Path(__file__).resolve().parent.parent)
if EXAMPLES not in sys.path:
    sys.path.insert(0, EXAMPLES)
