"""JSON report (schemas/report.schema.json): findings, suppressed findings, errors, warnings, summary."""

from __future__ import annotations

import json
from typing import Any

from checkov_ack.engine.regopy_engine import SEVERITIES, STATUSES
from checkov_ack.reporters import TOOL_NAME, Report

REPORT_VERSION = "1.0"


def summary(report: Report) -> dict[str, Any]:
    result = report.result
    active = result.findings
    failures = [f for f in active if f["status"] == "fail"]
    return {
        "by_status": {s: sum(1 for f in active if f["status"] == s) for s in STATUSES},
        "failures_by_severity": {
            s: sum(1 for f in failures if f["severity"] == s) for s in reversed(SEVERITIES)
        },
        "suppressed": len(result.suppressed),
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "fail_on": report.fail_on,
        "blocking": len(result.failures(report.fail_on)),
    }


def as_object(report: Report) -> dict[str, Any]:
    result = report.result
    return {
        "report_version": REPORT_VERSION,
        "tool": {"name": TOOL_NAME, "version": report.version},
        "profile": result.document["settings"]["profile"],
        "findings": result.findings,
        "suppressed": [
            {**r.finding, "suppression": r.suppression.as_dict()} for r in result.suppressed if r.suppression
        ],
        "errors": [e.as_dict() for e in result.errors],
        "warnings": [{"message": w} for w in result.warnings],
        "summary": summary(report),
    }


def render(report: Report) -> str:
    return json.dumps(as_object(report), indent=2, sort_keys=False) + "\n"
