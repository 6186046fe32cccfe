"""Paths and helpers shared by the tests (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# The real-world samples live beside the repository (../shared/corpus) and are never copied in.
CORPUS = ROOT.parent / "shared" / "corpus"


def break_assembled_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make scan.assemble add a half-built cluster: a document that breaks its schema, as an
    adapter bug would."""
    from checkov_ack import scan

    real = scan.assemble

    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        document = real(*args, **kwargs)
        document["clusters"].append({"key": "half a cluster"})
        return document

    monkeypatch.setattr(scan, "assemble", broken)
