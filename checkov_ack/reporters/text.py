"""Human report: findings grouped by cluster, then by security group; colour only on a TTY."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from checkov_ack.model.document import Json
from checkov_ack.reporters import TOOL_NAME, Report, remediation
from checkov_ack.reporters.json_report import summary

_COLORS = {"CRITICAL": "1;31", "HIGH": "31", "MEDIUM": "33", "LOW": "36", "INFO": "37", "unknown": "35",
           "suppressed": "2", "error": "1;31", "warning": "33", "heading": "1"}


@dataclass
class _Group:
    title: str
    # SG heading -> findings; "" holds findings on the cluster itself and its node pools.
    by_sg: dict[str, list[Json]] = field(default_factory=dict)


def _where(entity: Json) -> str:
    loc = entity["loc"]
    return f"{loc['file']}:{loc['line']}" if loc.get("line") else str(loc["file"])


def _index(document: Json) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """resource key -> cluster heading; resource key -> SG heading; cluster heading order."""
    cluster_of: dict[str, str] = {}
    sg_of: dict[str, str] = {}
    sg_heading = {}
    for sg in document.get("security_groups", []):
        same = not sg.get("id") or sg["id"] == sg["address"]
        name = sg["address"] if same else f"{sg['address']} ({sg['id']})"
        heading = f"Security group {name}  [{_where(sg)}]"
        sg_heading[sg["key"]] = heading
        sg_of[sg["key"]] = heading
        for rule in sg.get("rules", []):
            sg_of[rule["key"]] = heading
    order: dict[str, str] = {}
    for cluster in document.get("clusters", []):
        heading = f"Cluster {cluster['address']}  [{_where(cluster)}]"
        order[heading] = heading
        cluster_of[cluster["key"]] = heading
        for pool in cluster.get("node_pools", []):
            cluster_of[pool["key"]] = heading
        for key in cluster.get("sg_set", []):
            # An SG shared by clusters is listed under the first one.
            cluster_of.setdefault(key, heading)
    for sg in document.get("security_groups", []):
        for rule in sg.get("rules", []):
            if sg["key"] in cluster_of:
                cluster_of.setdefault(rule["key"], cluster_of[sg["key"]])
    return cluster_of, sg_of, order


def _painter(enabled: bool) -> Callable[[str, str], str]:
    def paint(text: str, what: str) -> str:
        return f"\033[{_COLORS[what]}m{text}\033[0m" if enabled and what in _COLORS else text

    return paint


def _finding_lines(f: Json, paint: Callable[[str, str], str], note: str | None = None) -> list[str]:
    status = "FAIL" if f["status"] == "fail" else f["status"].upper()
    tag = paint(f"{status} {f['severity']}", "unknown" if f["status"] == "unknown" else f["severity"])
    if note:
        tag = paint(f"SUPPRESSED {f['severity']}", "suppressed")
    where = f"{f['file']}:{f['line']}" if f.get("line") else str(f.get("file"))
    lines = [f"    {tag}  {f['rule_id']}  {f['title']}",
             f"        {f['resource']}  ({where})",
             f"        {f['message']}"]
    if f["status"] == "fail" and not note:
        lines.extend(f"        fix ({kind}): {fix}" for kind, fix in remediation(f))
    if note:
        lines.append(f"        {note}")
    return lines


def render(report: Report) -> str:
    result = report.result
    paint = _painter(report.color)
    cluster_of, sg_of, order = _index(result.document)
    groups: dict[str, _Group] = {h: _Group(h) for h in order}
    loose = "Not attached to any cluster in the sources"
    shown = [r for r in result.results if r.finding["status"] != "pass" or report.verbose]
    for r in shown:
        key = str(r.finding.get("resource_key"))
        heading = cluster_of.get(key, loose)
        group = groups.setdefault(heading, _Group(heading))
        group.by_sg.setdefault(sg_of.get(key, ""), []).append(r.finding)
    notes = {id(r.finding): r.suppression for r in result.results if r.suppression}
    out = [paint(f"{TOOL_NAME} {report.version}: profile {result.document['settings']['profile']}, "
                 f"fail on {report.fail_on} and above", "heading"), ""]
    for group in groups.values():
        if not group.by_sg:
            continue
        out.append(paint(group.title, "heading"))
        for sg_heading in sorted(group.by_sg, key=lambda h: (h != "", h)):
            out.append(f"  {sg_heading}" if sg_heading else "  Cluster settings and node pools")
            for f in group.by_sg[sg_heading]:
                why = notes.get(id(f))
                note = None
                if why is not None:
                    note = f"suppressed ({why.kind} at {why.source}): {why.reason or 'no reason given'}"
                out.extend(_finding_lines(f, paint, note))
        out.append("")
    if not any(g.by_sg for g in groups.values()):
        out.extend(["No failures or unknowns.", ""])
    for w in result.warnings:
        out.append(paint(f"warning: {w}", "warning"))
    for e in result.errors:
        out.append(paint(f"error: {e}", "error"))
    if result.warnings or result.errors:
        out.append("")
    totals = summary(report)
    sev = ", ".join(f"{n} {k}" for k, n in totals["failures_by_severity"].items() if n)
    counts = totals["by_status"]
    out.append(
        f"Summary: {counts['fail']} failed" + (f" ({sev})" if sev else "")
        + f", {counts['unknown']} unknown, {counts['pass']} passed, {totals['suppressed']} suppressed, "
        f"{totals['errors']} input error(s), {totals['warnings']} warning(s); "
        f"{totals['blocking']} at or above {report.fail_on}"
    )
    return "\n".join(out) + "\n"
