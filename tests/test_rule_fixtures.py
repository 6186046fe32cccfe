"""Per-rule fixtures (KICS style): every case in every input kind gives exactly the expected
findings of its rule, through the real command line; and the committed fixtures are what
fixtures/rules/render.py writes from cases.yaml."""

from __future__ import annotations

import filecmp
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

from checkov_ack.cli import main
from helpers import FIXTURES, ROOT

RULES = FIXTURES / "rules"
CASES = sorted(
    (rule_dir.name, case_dir.name, kind_dir.name)
    for rule_dir in RULES.glob("CKV_ACK_*")
    for case_dir in rule_dir.iterdir()
    if case_dir.is_dir()
    for kind_dir in case_dir.iterdir()
    if kind_dir.is_dir()
)


def _scan(path: str, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "report.json"
    cwd = Path.cwd()
    os.chdir(ROOT)  # expected files hold repository-relative paths, as users pass them
    try:
        code = main(["scan", path, "--format", "json", "--output", str(out), "--soft-fail"])
    finally:
        os.chdir(cwd)
    assert code == 0, f"scan of {path} exited {code}"
    report = json.loads(out.read_text())
    assert report["errors"] == [], report["errors"]
    return report


def _key(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["rule_id"], item["status"], item["resource"], item["file"], item["line"])


@pytest.mark.parametrize(("rule_id", "case", "kind"), CASES, ids=["/".join(c) for c in CASES])
def test_case_gives_expected_findings(rule_id: str, case: str, kind: str, tmp_path: Path) -> None:
    case_dir = RULES / rule_id / case
    expected = json.loads((case_dir / f"expected-{kind}.json").read_text())
    report = _scan(f"fixtures/rules/{rule_id}/{case}/{kind}", tmp_path)
    found = [
        f for f in report["findings"] if f["rule_id"] == rule_id and f["status"] in ("fail", "unknown")
    ]
    assert sorted(map(_key, found)) == sorted(map(_key, expected))
    if case.startswith("negative-"):
        assert any(f["rule_id"] == rule_id and f["status"] == "pass" for f in report["findings"]), (
            "a negative case must show the rule evaluated and held"
        )


def test_every_rule_has_positive_and_negative_cases() -> None:
    for number in range(1, 17):
        rule_id = f"CKV_ACK_{number}"
        names = [p.name for p in (RULES / rule_id).iterdir() if p.is_dir()]
        assert any(n.startswith("positive-") for n in names), rule_id
        assert any(n.startswith("negative-") for n in names), rule_id


def test_positive_cases_expect_something() -> None:
    for rule_id, case, kind in CASES:
        if case.startswith("positive-"):
            assert json.loads((RULES / rule_id / case / f"expected-{kind}.json").read_text()), (rule_id, case)


def test_committed_fixtures_match_the_renderer(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("render", RULES / "render.py")
    assert spec and spec.loader
    render = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render)
    render.render_all(tmp_path)
    for rule_dir in RULES.glob("CKV_ACK_*"):
        comparison = filecmp.dircmp(rule_dir, tmp_path / rule_dir.name)
        _assert_same(comparison)


def _assert_same(comparison: filecmp.dircmp[str]) -> None:
    assert not comparison.left_only and not comparison.right_only, (comparison.left, comparison.left_only,
                                                                     comparison.right_only)
    _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files,
                                           shallow=False)
    assert not mismatch and not errors, (comparison.left, mismatch, errors)
    for sub in comparison.subdirs.values():
        _assert_same(sub)
