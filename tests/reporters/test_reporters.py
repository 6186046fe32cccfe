"""Golden reports per format, the JSON report schema, SARIF against the official 2.1.0 schema,
and docs/rules.md kept current.

The golden reports are rendered from a recorded scan (fixtures/reports/scan.json) so they pin the
reporters, not the wording of the policies. Regenerate on purpose: UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checkov_ack.adapters import LoadResult
from checkov_ack.config import load_config
from checkov_ack.errors import InputError
from checkov_ack.model.schema import REPORT_SCHEMA, schema_errors
from checkov_ack.reporters import FORMATS, Report, render
from checkov_ack.reporters.catalog import load_catalog, render_markdown
from checkov_ack.scan import ScanResult, normalize_paths
from checkov_ack.suppressions import apply_suppressions, load_waivers
from helpers import FIXTURES, ROOT

REPORTS = FIXTURES / "reports"
MODULE = "fixtures/reports/module"  # relative, as a user would type it from the repository root
TODAY = dt.date(2026, 6, 1)
SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml"}
# UPDATE_GOLDEN=1 re-renders the reports from the recorded scan; UPDATE_GOLDEN=scan also re-runs
# the scan of fixtures/reports/module with today's policies and records it first.
UPDATE = os.environ.get("UPDATE_GOLDEN") in ("1", "scan")
RESCAN = os.environ.get("UPDATE_GOLDEN") == "scan"
# The official SARIF 2.1.0 schema (OASIS rtm.5), fetched from the npm registry by
# .ci/fetch-sarif-schema.sh into .ci/tools/ (never vendored). Required in CI.
SARIF_SCHEMA = ROOT / ".ci" / "tools" / "sarif" / "sarif-2.1.0-rtm.5.json"


def _record(monkeypatch: pytest.MonkeyPatch) -> None:
    from checkov_ack.engine import Engine

    monkeypatch.chdir(ROOT)
    settings = load_config(Path(MODULE) / ".checkov-ack.yaml").settings
    document, load = normalize_paths([MODULE], settings)
    findings = Engine().evaluate(document)
    recorded = {"document": document, "findings": findings, "errors": [e.as_dict() for e in load.errors]}
    (REPORTS / "scan.json").write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")


def _scan_result() -> ScanResult:
    recorded = json.loads((REPORTS / "scan.json").read_text(encoding="utf-8"))
    waivers = load_waivers(Path("fixtures/reports/waivers.yaml"))
    results, warnings = apply_suppressions(recorded["findings"], recorded["document"], waivers, TODAY)
    errors = [InputError(e["file"], e["message"], e["line"]) for e in recorded["errors"]]
    load = LoadResult(errors=errors)
    return ScanResult(recorded["document"], results, load.errors, load.skipped, warnings)


@pytest.fixture(scope="module")
def result() -> ScanResult:
    cwd = Path.cwd()
    os.chdir(ROOT)  # the waiver file's path appears in reports relative to the repository
    try:
        if RESCAN:
            with pytest.MonkeyPatch.context() as mp:
                _record(mp)
        return _scan_result()
    finally:
        os.chdir(cwd)


def _report(result: ScanResult) -> Report:
    return Report(result, fail_on="LOW", version="0.1.0")


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_report(result: ScanResult, fmt: str) -> None:
    text = render(fmt, _report(result))
    golden = REPORTS / f"report.{SUFFIX[fmt]}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{golden} changed; UPDATE_GOLDEN=1 if on purpose"


def test_recorded_scan_covers_what_the_reports_must_show(result: ScanResult) -> None:
    # The golden input is only useful if it exercises every part of the reports.
    statuses = {r.finding["status"] for r in result.results}
    kinds = {r.suppression.kind for r in result.results if r.suppression}
    assert {"fail", "pass"} <= statuses
    assert kinds == {"inline", "waiver"}
    assert result.errors and result.warnings
    assert any("expired on 2026-01-31" in w for w in result.warnings)


def test_expired_waiver_no_longer_suppresses(result: ScanResult) -> None:
    kubelet = [
        r
        for r in result.results
        if r.finding["rule_id"] == "CKV_ACK_5" and r.finding["resource"].endswith(".kubelet_open")
    ]
    assert kubelet and all(not r.suppressed for r in kubelet)
    assert any(f["resource"].endswith(".kubelet_open") for f in result.failures("CRITICAL"))


def test_json_report_matches_its_schema(result: ScanResult) -> None:
    report = json.loads(render("json", _report(result)))
    assert schema_errors(report, REPORT_SCHEMA) == []
    assert report["summary"]["suppressed"] == len(report["suppressed"]) == len(result.suppressed)
    assert report["summary"]["by_status"]["fail"] == sum(
        1 for f in report["findings"] if f["status"] == "fail"
    )
    assert report["errors"][0]["file"].endswith("broken/main.tf") and report["errors"][0]["line"]


def _sarif_schema() -> dict[str, Any]:
    if not SARIF_SCHEMA.is_file():
        message = f"official SARIF schema not found at {SARIF_SCHEMA}; run bash .ci/fetch-sarif-schema.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))


def test_sarif_is_valid_against_the_official_schema(result: ScanResult) -> None:
    schema = _sarif_schema()
    sarif = json.loads(render("sarif", _report(result)))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(sarif)]
    assert errors == []


def test_sarif_structure(result: ScanResult) -> None:
    # What code-scanning consumers rely on, checked even where the official schema is absent.
    sarif = json.loads(render("sarif", _report(result)))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules[: len(load_catalog().rules)]] == [r.id for r in load_catalog().rules]
    assert all(r["help"]["text"] and r["helpUri"].startswith("https://") for r in rules)
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert {s["suppressions"][0]["kind"] for s in suppressed} == {"inSource", "external"}
    levels = {n["level"] for n in run["invocations"][0]["toolExecutionNotifications"]}
    assert levels == {"error", "warning"}
    assert run["invocations"][0]["executionSuccessful"] is False


def test_junit_counts(result: ScanResult) -> None:
    root = ET.fromstring(render("junit", _report(result)))
    cases = root.findall(".//testcase")
    assert int(root.get("tests", "-1")) == len(cases)
    assert int(root.get("failures", "-1")) == len(root.findall(".//failure"))
    assert int(root.get("errors", "-1")) == len(root.findall(".//error")) == len(result.errors)
    fails = sum(1 for r in result.results if r.finding["status"] == "fail" and not r.suppressed)
    assert len(root.findall(".//failure")) == fails
    assert "expired" in (root.findtext(".//system-err") or "")


def test_text_colour_only_when_asked(result: ScanResult) -> None:
    plain = render("text", _report(result))
    coloured = render("text", Report(result, color=True, version="0.1.0"))
    assert "\033[" not in plain and "\033[" in coloured
    assert "Cluster alicloud_cs_managed_kubernetes.k8s" in plain
    assert "Security group alicloud_security_group.cluster" in plain


def test_rules_doc_is_current() -> None:
    doc = ROOT / "docs" / "rules.md"
    text = render_markdown(load_catalog())
    if UPDATE:
        doc.write_text(text, encoding="utf-8")
    assert doc.read_text(encoding="utf-8") == text, (
        "run: checkov-ack rules --format markdown --output docs/rules.md"
    )


def test_catalog_lists_every_rule_the_policies_define() -> None:
    catalog = load_catalog()
    ids = [r.id for r in catalog.rules]
    assert ids == [f"CKV_ACK_{n}" for n in range(1, len(ids) + 1)]
    assert all(r.severity in ("INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL") and r.title for r in catalog.rules)
