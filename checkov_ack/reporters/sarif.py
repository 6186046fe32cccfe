"""SARIF 2.1.0: every catalog rule with help text and the guide link, results with locations,
suppressions for suppressed findings, input errors and expired waivers as tool notifications.

Passes are not results (code-scanning UIs list every result as an alert); unknowns are `review`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from checkov_ack.model.document import Json
from checkov_ack.reporters import INFORMATION_URI, TOOL_NAME, Report, remediation
from checkov_ack.reporters.catalog import Catalog, load_catalog
from checkov_ack.suppressions import Result

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"CRITICAL": "error", "HIGH": "error", "MEDIUM": "warning", "LOW": "note", "INFO": "note"}
# GitHub code scanning reads properties.security-severity (CVSS-like 0.0-10.0).
_SECURITY_SEVERITY = {"CRITICAL": "9.5", "HIGH": "8.0", "MEDIUM": "5.5", "LOW": "3.0", "INFO": "1.0"}


def _uri(file: str) -> str:
    if PureWindowsPath(file).drive:
        return PureWindowsPath(file).as_uri()
    path = PurePosixPath(file.replace("\\", "/"))
    return path.as_uri() if path.is_absolute() else quote(path.as_posix(), safe="/")


def _location(file: str | None, line: int | None, resource: str | None = None) -> Json:
    physical: Json = {"artifactLocation": {"uri": _uri(file or "")}}
    if line:
        physical["region"] = {"startLine": int(line)}
    location: Json = {"physicalLocation": physical}
    if resource:
        location["logicalLocations"] = [{"fullyQualifiedName": resource, "kind": "resource"}]
    return location


def _rules(catalog: Catalog, findings: list[Json]) -> list[Json]:
    rules = []
    for r in catalog.rules:
        help_text = f"{r.title}. Fails when {r.fails_when}. Guide: {r.guide_row}. {catalog.guide}"
        rules.append({
            "id": r.id,
            "name": "".join(w.capitalize() for w in r.title.replace("(", " ").replace(")", " ").split()),
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": f"Fails when {r.fails_when}."},
            "help": {
                "text": help_text,
                "markdown": f"**{r.title}** ({r.severity})\n\nFails when {r.fails_when}.\n\n"
                            f"Guide row: {r.guide_row}\n\n[ACK security group guide]({catalog.guide})",
            },
            "helpUri": catalog.guide,
            "defaultConfiguration": {"level": _LEVEL.get(r.severity, "warning")},
            "properties": {
                "severity": r.severity,
                "security-severity": _SECURITY_SEVERITY.get(r.severity, "5.0"),
                "tags": ["security", "alibaba-cloud", "ack"],
            },
        })
    # A rule the policies report but the catalog lacks still needs a descriptor.
    known = {r["id"] for r in rules}
    for f in findings:
        if f["rule_id"] not in known:
            known.add(f["rule_id"])
            title = {"text": f["title"]}
            rules.append({"id": f["rule_id"], "shortDescription": title, "helpUri": str(f["guide"])})
    return rules


def _fingerprint(f: Json) -> str:
    text = "|".join(str(f.get(k)) for k in ("rule_id", "resource_key", "message"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _message(f: Json) -> str:
    text = f"{f['resource']}: {f['message']}"
    text += "".join(f"\nFix ({kind}): {fix}" for kind, fix in remediation(f))
    return text


def _result(r: Result, rule_index: dict[str, int]) -> Json:
    f = r.finding
    unknown = f["status"] == "unknown"
    out: Json = {
        "ruleId": f["rule_id"],
        "ruleIndex": rule_index[f["rule_id"]],
        "kind": "review" if unknown else "fail",
        "level": "note" if unknown else _LEVEL.get(f["severity"], "warning"),
        "message": {"text": ("Unknown: " if unknown else "") + _message(f)},
        "locations": [_location(f.get("file"), f.get("line"), f.get("resource"))],
        "partialFingerprints": {"checkovAck/v1": _fingerprint(f)},
        "properties": {"severity": f["severity"], "status": f["status"], "resource": f["resource"]},
    }
    if r.suppression is not None:
        s = r.suppression
        suppression: Json = {
            "kind": "inSource" if s.kind == "inline" else "external",
            "status": "accepted",
            "justification": s.reason or "",
            "properties": {"source": s.source},
        }
        if s.expires:
            suppression["properties"]["expires"] = s.expires
        if s.kind == "waiver":
            file, _, line = s.source.rpartition(":")
            suppression["location"] = _location(file, int(line) if line.isdigit() else None)
        out["suppressions"] = [suppression]
    return out


def as_object(report: Report) -> dict[str, Any]:
    result = report.result
    catalog = load_catalog()
    reported = [r for r in result.results if r.finding["status"] != "pass"]
    rules = _rules(catalog, [r.finding for r in reported])
    rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
    notifications: list[Json] = []
    for e in result.errors:
        notifications.append({"level": "error", "message": {"text": str(e)},
                              "locations": [_location(e.file, e.line)]})
    for w in result.warnings:
        notifications.append({"level": "warning", "message": {"text": w}})
    invocation: Json = {"executionSuccessful": not result.errors, "toolExecutionNotifications": notifications}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "invocations": [invocation],
            "results": [_result(r, rule_index) for r in reported],
            "properties": {"profile": result.document["settings"]["profile"], "failOn": report.fail_on},
        }],
    }


def render(report: Report) -> str:
    return json.dumps(as_object(report), indent=2) + "\n"
