"""Engine parity: regopy and real OPA give identical findings (rule_id, status, resource, message).

Documents: every fixture's normalized document and PARITY_COUNT (default 1,000; env
CHECKOV_ACK_PARITY_DOCS) seeded generated documents. OPA evaluates them in batches in one process
(`opa eval` on `{"docs": [...]}`); regopy in a child process (a regopy crash fails the test with the
document it died on) with the policies compiled once. Timings are printed (`pytest -s` shows them).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from corpus import PARITY_COUNT, fixture_documents, generated_documents, regopy_results
from engines import POLICIES, finding_keys, opa_findings
from regopy_worker import run_worker
from tools import require

from docgen import features

pytestmark = pytest.mark.opa

Json = dict[str, Any]
REQUIRED_FEATURES = {
    "sg_type:basic", "sg_type:advanced", "plugin:flannel", "plugin:terway", "family:4", "family:6",
    "action:drop", "action:accept", "priority:tie", "priority:mixed", "unknown:rule", "unknown:cluster",
    "origin:referenced", "origin:ack_created", "origin:declared", "node_pools", "exposures", "overrides",
    "peer:sg", "peer:prefix_list", "clusters:many", "clusters:none", "non_ascii",
}


def _compare(names: list[str], docs: list[Json], regopy_results: list[Json], opa_results: list[list[Json]],
             ) -> tuple[list[str], int]:
    problems: list[str] = []
    total = 0
    for name, doc, mine, theirs in zip(names, docs, regopy_results, opa_results, strict=True):
        total += len(theirs)
        if not mine["ok"]:
            problems.append(f"{name}: regopy failed: {mine['error'][:400]}")
            continue
        a, b = finding_keys(mine["findings"]), finding_keys(theirs)
        if a != b:
            only_r = [k for k in a if k not in b][:3]
            only_o = [k for k in b if k not in a][:3]
            problems.append(f"{name}: regopy-only {only_r} / opa-only {only_o}")
        del doc
    return problems, total


def _parity(names: list[str], docs: list[Json], label: str, mode: str = "direct",
            cached: str | None = None) -> None:
    opa = require("opa")
    start = time.perf_counter()
    theirs = opa_findings(opa, docs)
    opa_s = time.perf_counter() - start
    start = time.perf_counter()
    mine = regopy_results(cached) if cached else run_worker(docs, POLICIES, mode)
    regopy_s = time.perf_counter() - start
    problems, total = _compare(names, docs, mine, theirs)
    print(f"\n{label}: {len(docs)} documents, {total} findings; opa {opa_s:.1f} s, "
          f"regopy ({mode}) {regopy_s:.1f} s; {len(problems)} documents differ")
    assert not problems, f"{len(problems)} of {len(docs)} documents differ:\n" + "\n".join(problems[:15])


def test_generator_covers_the_required_traits() -> None:
    seen: set[str] = set()
    for doc in generated_documents():
        seen |= features(doc)
    assert seen >= REQUIRED_FEATURES, f"missing: {sorted(REQUIRED_FEATURES - seen)}"


def test_fixture_documents_same_findings_in_regopy_and_opa() -> None:
    docs, failed = fixture_documents()
    assert docs, "no fixture documents found"
    if failed:
        print(f"\n{len(failed)} input fixtures could not be normalized (adapters' problem): {failed[:3]}")
    _parity([n for n, _ in docs], [d for _, d in docs], "fixtures", cached="fixtures")


def test_generated_documents_same_findings_in_regopy_and_opa() -> None:
    docs = list(generated_documents())
    assert len(docs) == PARITY_COUNT
    _parity([f"seed {i}" for i in range(len(docs))], docs, "generated", cached="generated")


@pytest.mark.slow
def test_scanner_engine_matches_opa_on_whole_documents() -> None:
    """The scanner evaluates unit by unit (model/assemble.unit_documents); OPA the whole document."""
    docs, _ = fixture_documents()
    generated = list(generated_documents())[:100]
    names = [n for n, _ in docs] + [f"seed {i}" for i in range(len(generated))]
    _parity(names, [d for _, d in docs] + generated, "scanner engine vs opa", mode="scanner")
