"""conftest on normalized documents fails exactly where the scanner fails and warns exactly where it
reports unknowns, with data.ack.deny / data.ack.warn's messages.

    conftest test --namespace ack --policy policies --data policies -o json DOC.json ...

`--data policies` is needed: without it conftest does not load policies/ack/*/data.json, every
finding is undefined and every document "passes" (the test below proves it stays that way, so the
docs keep saying so).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from corpus import fixture_documents, generated_documents, regopy_results
from engines import opa_eval
from tools import require, run

pytestmark = pytest.mark.opa

Json = dict[str, Any]
CONFTEST_ARGS = ["test", "--namespace", "ack", "--policy", "policies", "--data", "policies",
                 "--no-color", "-o", "json"]
GENERATED = 200
BATCH_QUERY = ("[[d, w] | some doc in input.docs; "
               "d := [m.msg | some m in data.ack.deny with input as doc]; "
               "w := [m.msg | some m in data.ack.warn with input as doc]]")


def _conftest(conftest: str, docs: list[Json], extra: list[str] | None = None) -> list[Json]:
    """conftest's JSON result per document, in order."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, doc in enumerate(docs):
            path = Path(tmp) / f"doc{i:05d}.json"
            path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            paths.append(str(path))
        out = run([conftest, *(extra or CONFTEST_ARGS), *paths], timeout=1800)
        assert out.returncode in (0, 1), f"conftest failed to run ({out.returncode}):\n{out.stderr[-3000:]}"
        results = {r["filename"]: r for r in json.loads(out.stdout)}
        return [results.get(p, {"filename": p}) for p in paths]


def _msgs(result: Json, key: str) -> Counter[str]:
    return Counter(m["msg"] for m in result.get(key) or [])


def _check(names: list[str], docs: list[Json], scanner: list[Json]) -> None:
    conftest = require("conftest")
    opa = require("opa")
    got = _conftest(conftest, docs)
    expected = opa_eval(opa, BATCH_QUERY, input_value={"docs": docs})
    problems = []
    fails = warns = 0
    for name, result, (deny, warn), mine in zip(names, got, expected, scanner, strict=True):
        if not mine["ok"]:
            problems.append(f"{name}: the scanner's engine failed: {mine['error'][:200]}")
            continue
        statuses = {f["status"] for f in mine["findings"]}
        has_fail, has_unknown = "fail" in statuses, "unknown" in statuses
        failed, warned = bool(result.get("failures")), bool(result.get("warnings"))
        fails += failed
        warns += warned
        if failed != has_fail:
            problems.append(f"{name}: conftest failed={failed}, scanner has fail findings={has_fail}")
        if warned != has_unknown:
            problems.append(f"{name}: conftest warned={warned}, scanner has unknowns={has_unknown}")
        if _msgs(result, "failures") != Counter(deny):
            problems.append(f"{name}: conftest failures != data.ack.deny messages")
        if _msgs(result, "warnings") != Counter(warn):
            problems.append(f"{name}: conftest warnings != data.ack.warn messages")
    print(f"\nconftest: {len(docs)} documents, {fails} failed, {warns} warned; {len(problems)} problems")
    assert not problems, "\n".join(problems[:20])


def test_conftest_on_fixture_documents() -> None:
    docs = fixture_documents()[0]
    _check([n for n, _ in docs], [d for _, d in docs], regopy_results("fixtures"))


def test_conftest_on_generated_documents() -> None:
    docs = list(generated_documents())[:GENERATED]
    _check([f"seed {i}" for i in range(len(docs))], docs, regopy_results("generated")[:GENERATED])


def test_conftest_without_data_finds_nothing() -> None:
    """Documents why `--data policies` is in every documented conftest command."""
    conftest = require("conftest")
    docs = [d for d, r in zip(generated_documents(), regopy_results("generated"), strict=False)
            if r["ok"] and any(f["status"] == "fail" for f in r["findings"])][:3]
    assert docs, "no generated document with failures"
    args = [a for a in CONFTEST_ARGS if a != "--data"]
    args.remove("policies")  # the value of --data (the first "policies" is --policy's)
    results = _conftest(conftest, docs, args)
    assert not any(r.get("failures") for r in results)
