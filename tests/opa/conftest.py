"""tests/opa: put this folder on sys.path so the gates share engines.py, tools.py, corpus.py, ..."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
