"""Paths shared by the tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# The real-world samples live beside the repository (../shared/corpus) and are never copied in.
CORPUS = ROOT.parent / "shared" / "corpus"
