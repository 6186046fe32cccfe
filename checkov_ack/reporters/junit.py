"""JUnit XML: one test suite per rule, one test case per finding; input errors and expired
waivers in a `checkov-ack` suite so CI dashboards show them too."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checkov_ack.reporters import TOOL_NAME, Report, remediation
from checkov_ack.reporters.catalog import _number
from checkov_ack.suppressions import Result


def _case(suite: ET.Element, r: Result) -> tuple[int, int]:
    f = r.finding
    where = f"{f['file']}:{f['line']}" if f.get("line") else str(f.get("file"))
    case = ET.SubElement(suite, "testcase", name=f"{f['resource']} [{where}]", classname=f["rule_id"],
                         file=str(f.get("file") or ""))
    if f.get("line"):
        case.set("line", str(f["line"]))
    if r.suppression is not None:
        s = r.suppression
        ET.SubElement(case, "skipped", message=f"suppressed ({s.kind} at {s.source}): {s.reason or ''}")
        return 0, 1
    if f["status"] == "fail":
        failure = ET.SubElement(case, "failure", message=f["message"], type=f["severity"])
        lines = [
            f"{f['rule_id']} {f['title']} ({f['severity']})",
            f"{f['resource']} at {where}",
            f["message"],
        ]
        lines.extend(f"fix ({kind}): {fix}" for kind, fix in remediation(f))
        failure.text = "\n".join(lines)
        return 1, 0
    if f["status"] == "unknown":
        ET.SubElement(case, "skipped", message=f"unknown: {f['message']}")
        return 0, 1
    return 0, 0


def render(report: Report) -> str:
    result = report.result
    root = ET.Element("testsuites", name=TOOL_NAME)
    by_rule: dict[str, list[Result]] = {}
    for r in result.results:
        by_rule.setdefault(str(r.finding["rule_id"]), []).append(r)
    total_tests = total_failures = total_errors = total_skipped = 0
    for rule_id in sorted(by_rule, key=_number):
        items = by_rule[rule_id]
        title = items[0].finding["title"]
        suite = ET.SubElement(root, "testsuite", name=f"{rule_id} {title}")
        failures = skipped = 0
        for r in items:
            fa, sk = _case(suite, r)
            failures += fa
            skipped += sk
        suite.set("tests", str(len(items)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skipped))
        total_tests += len(items)
        total_failures += failures
        total_skipped += skipped
    if result.errors or result.warnings:
        suite = ET.SubElement(root, "testsuite", name=f"{TOOL_NAME} inputs")
        for e in result.errors:
            case = ET.SubElement(suite, "testcase", name=str(e.file), classname=f"{TOOL_NAME}.inputs",
                                 file=e.file)
            if e.line:
                case.set("line", str(e.line))
            ET.SubElement(case, "error", message=str(e), type="InputError").text = str(e)
        if result.warnings:
            ET.SubElement(suite, "system-err").text = "\n".join(f"warning: {w}" for w in result.warnings)
        suite.set("tests", str(len(result.errors)))
        suite.set("failures", "0")
        suite.set("errors", str(len(result.errors)))
        suite.set("skipped", "0")
        total_tests += len(result.errors)
        total_errors += len(result.errors)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    root.set("skipped", str(total_skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
