"""Normalized documents of the fixtures, built once per test session, and their scan statuses."""

from __future__ import annotations

import copy
import functools
import os
from pathlib import Path
from typing import Any

from checkov_ack.engine import Engine
from checkov_ack.scan import normalize_paths, scan_document
from helpers import FIXTURES

CONNECTIVITY = ("CKV_ACK_1", "CKV_ACK_2", "CKV_ACK_3")
KINDS = ("terraform_hcl", "terraform_plan", "ros", "api_export")
Doc = dict[str, Any]
Statuses = dict[tuple[str, str], set[str]]


@functools.cache
def engine() -> Engine:
    return Engine()


def _sources() -> list[Path]:
    """Every scenario in every kind, and the per-rule cases (positive ones, and the negative ones of
    the connectivity rules) in one kind each, rotating through the kinds. Each document costs a
    regopy evaluation per cluster (0.3 s to 3 s on a loaded CI runner), hence not every case."""
    found = [d for s in sorted((FIXTURES / "scenarios").iterdir()) if s.is_dir()
             for k in KINDS if (d := s / k).is_dir()]
    cases = sorted(c for r in (FIXTURES / "rules").iterdir() if r.is_dir() for c in r.iterdir()
                   if c.is_dir() and (c.name.startswith("positive") or r.name in CONNECTIVITY))
    for i, case in enumerate(cases):
        kind = case / KINDS[i % len(KINDS)]
        found.append(kind if kind.is_dir() else next(case / k for k in KINDS if (case / k).is_dir()))
    return found


@functools.cache
def documents() -> tuple[tuple[str, Doc], ...]:
    built = []
    for source in _sources():
        document, load = normalize_paths([source])
        assert not load.errors, load.errors
        built.append((str(source.relative_to(FIXTURES)), document))
    return tuple(built)


@functools.cache
def baseline(name: str) -> Statuses:
    """The statuses of the unchanged fixture document `name`."""
    return statuses(dict(documents())[name])


def examples(default: int) -> int:
    """Examples per scan-level property: HOSTILE_EXAMPLES=300 for a longer run than CI's."""
    return int(os.environ.get("HOSTILE_EXAMPLES", default))


def statuses(document: Doc) -> Statuses:
    """Statuses of the unsuppressed findings per (rule_id, resource key)."""
    out: Statuses = {}
    for finding in scan_document(copy.deepcopy(document), engine=engine()).findings:
        out.setdefault((finding["rule_id"], finding["resource_key"]), set()).add(finding["status"])
    return out
