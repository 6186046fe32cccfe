"""Shared test fixtures and paths."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "fixtures"
# The real-world samples live beside the repository (../shared/corpus) and are never copied in.
CORPUS = ROOT.parent / "shared" / "corpus"
