"""The documents the OPA gates evaluate: every fixture's normalized document, and generated ones.

- golden documents: `expected.json` files under fixtures/ that are normalized documents (adapter
  fixtures);
- input fixtures: each `fixtures/scenarios/<s>/<kind>/` and `fixtures/rules/<rule>/<case>/<kind>/`
  folder normalized with `checkov_ack.scan.normalize_paths` (as the scanner would), from the
  repository root so paths stay relative;
- generated: `docgen.generate(seed)` for seeds PARITY_SEED .. PARITY_SEED + count - 1.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from docgen import generate_many
from helpers import FIXTURES, ROOT

Json = dict[str, Any]
PARITY_SEED = 20260
PARITY_COUNT = int(os.environ.get("CHECKOV_ACK_PARITY_DOCS", "1000"))


def _is_document(value: Any) -> bool:
    return isinstance(value, dict) and value.get("schema_version") == "1.0" and "security_groups" in value


def golden_documents() -> list[tuple[str, Json]]:
    out = []
    for path in sorted(FIXTURES.rglob("expected*.json")):
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if _is_document(value):
            out.append((path.relative_to(ROOT).as_posix(), value))
    return out


def input_fixture_dirs() -> list[Path]:
    kinds = {"terraform_hcl", "terraform_plan", "ros", "api_export"}
    found = [p for p in (FIXTURES / "scenarios").glob("*/*") if p.is_dir() and p.name in kinds]
    found += [p for p in (FIXTURES / "rules").glob("*/*/*") if p.is_dir() and p.name in kinds]
    return sorted(found)


@cache
def fixture_documents() -> tuple[list[tuple[str, Json]], list[str]]:
    """(name, document) for every fixture, and the input fixtures that could not be normalized."""
    docs = golden_documents()
    failed: list[str] = []
    try:
        from checkov_ack.scan import normalize_paths
    except ImportError as exc:  # the scanner is not there yet: golden documents only
        return docs, [f"checkov_ack.scan unavailable: {exc}"]
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        for folder in input_fixture_dirs():
            rel = folder.relative_to(ROOT).as_posix()
            try:
                document, load = normalize_paths([rel])
            except Exception as exc:  # noqa: BLE001 - any adapter failure: report, keep going
                failed.append(f"{rel}: {type(exc).__name__}: {exc}")
                continue
            if load.errors:
                failed.append(f"{rel}: input errors {load.errors[:2]}")
            docs.append((rel, document))
    finally:
        os.chdir(cwd)
    return docs, failed


@cache
def regopy_results(which: str) -> list[Json]:
    """regopy (direct, whole document) results for "fixtures" or "generated", computed once per
    session in the crash-isolated worker: parity and conftest tests share them."""
    from engines import POLICIES
    from regopy_worker import run_worker

    docs = [d for _, d in fixture_documents()[0]] if which == "fixtures" else list(generated_documents())
    return run_worker(docs, POLICIES, "direct")


@cache
def generated_documents(count: int = PARITY_COUNT, seed: int = PARITY_SEED) -> list[Json]:
    return generate_many(count, seed)
