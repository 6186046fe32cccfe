"""Suppressions: inline skips carried by the document, and a waiver file with expiry dates.

Suppressed findings are kept (reports show them as suppressed) and never count toward the exit code.
An expired waiver stops suppressing and becomes a warning in every report format.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkov_ack.config import load_yaml_nodes
from checkov_ack.errors import UsageError
from checkov_ack.model.document import Json


@dataclass(frozen=True)
class Suppression:
    kind: str  # "inline" (a skip in the sources) or "waiver" (the waiver file)
    reason: str | None
    source: str  # file:line of the skip or waiver entry
    expires: str | None = None

    def as_dict(self) -> Json:
        return {"kind": self.kind, "reason": self.reason, "source": self.source, "expires": self.expires}


@dataclass(frozen=True)
class Waiver:
    rule: str  # rule ID or glob (CKV_ACK_*)
    resource: str  # glob on the finding's resource (its address)
    reason: str
    expires: dt.date
    file: str
    line: int

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"

    def matches(self, finding: Json) -> bool:
        return fnmatch.fnmatchcase(str(finding["rule_id"]), self.rule) and fnmatch.fnmatchcase(
            str(finding["resource"]), self.resource
        )

    def expired(self, today: dt.date) -> bool:
        # A waiver is good through its expiry day.
        return today > self.expires


@dataclass
class Result:
    """One finding and, when suppressed, why."""

    finding: Json
    suppression: Suppression | None = None

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None


_WAIVER_KEYS = {"rule", "resource", "reason", "expires"}


def _expiry(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise UsageError(f"{where}: expires must be a date YYYY-MM-DD, not {value!r}")


def _waiver(item: Any, file: str, line: int) -> Waiver:
    where = f"{file}:{line}"
    if not isinstance(item, dict):
        raise UsageError(f"{where}: a waiver is a mapping with rule, resource, reason, expires")
    unknown = set(item) - _WAIVER_KEYS
    if unknown:
        raise UsageError(f"{where}: unknown waiver key(s) {', '.join(sorted(map(str, unknown)))}")
    missing = [k for k in ("rule", "resource", "reason", "expires") if item.get(k) in (None, "")]
    if missing:
        raise UsageError(f"{where}: waiver without {', '.join(missing)}")
    for key in ("rule", "resource", "reason"):
        if not isinstance(item[key], str):
            raise UsageError(f"{where}: waiver {key} must be a string, not {item[key]!r}")
    return Waiver(
        rule=item["rule"].strip(),
        resource=item["resource"].strip(),
        reason=item["reason"].strip(),
        expires=_expiry(item["expires"], where),
        file=file,
        line=line,
    )


def load_waivers(path: Path) -> list[Waiver]:
    """A YAML list of waivers (or a mapping with a `waivers` list); errors name file and line."""
    import yaml  # here: a scan without waivers does not pay for it

    data, node = load_yaml_nodes(path)
    if data is None or node is None:
        return []
    if isinstance(data, dict) and isinstance(node, yaml.MappingNode) and set(data) == {"waivers"}:
        node = next(v for k, v in node.value if k.value == "waivers")
        data = data["waivers"] or []
        if not data:
            return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        raise UsageError(f"{path}:{node.start_mark.line + 1}: expected a list of waivers")
    return [_waiver(item, str(path), n.start_mark.line + 1) for item, n in zip(data, node.value, strict=True)]


def _skip_source(entity: Json, skip: Json) -> str:
    line = skip.get("line") or entity["loc"]["line"]
    return f"{entity['loc']['file']}:{line}" if line else str(entity["loc"]["file"])


def inline_skips(document: Json) -> dict[tuple[str, str], Suppression]:
    """Skips by (entity key, rule ID) for clusters, node pools, SGs and rules.
    An SG's skips also cover the findings about its rules."""
    skips: dict[tuple[str, str], Suppression] = {}

    def add(key: str, entity: Json, entity_skips: list[Json]) -> None:
        for skip in entity_skips:
            suppression = Suppression("inline", skip.get("reason"), _skip_source(entity, skip))
            skips.setdefault((key, str(skip["rule_id"])), suppression)

    for cluster in document.get("clusters", []):
        add(cluster["key"], cluster, cluster.get("skips", []))
        for pool in cluster.get("node_pools", []):
            add(pool["key"], pool, pool.get("skips", []))
    for sg in document.get("security_groups", []):
        add(sg["key"], sg, sg.get("skips", []))
        for rule in sg.get("rules", []):
            add(rule["key"], rule, rule.get("skips", []))
            add(rule["key"], sg, sg.get("skips", []))
    return skips


def apply_suppressions(
    findings: list[Json], document: Json, waivers: list[Waiver], today: dt.date
) -> tuple[list[Result], list[str]]:
    """Every finding with its suppression (if any), and a warning per expired waiver.

    Passes are never marked suppressed: only fail and unknown findings need a reason to be hidden.
    An inline skip wins over a waiver (it sits next to the code it excuses).
    """
    skips = inline_skips(document)
    active = [w for w in waivers if not w.expired(today)]
    expired = [w for w in waivers if w.expired(today)]
    results = []
    would_have: dict[int, int] = {}
    for finding in findings:
        suppression: Suppression | None = None
        if finding["status"] != "pass":
            suppression = skips.get((str(finding.get("resource_key")), str(finding["rule_id"])))
            if suppression is None:
                waiver = next((w for w in active if w.matches(finding)), None)
                if waiver is not None:
                    expires = waiver.expires.isoformat()
                    suppression = Suppression("waiver", waiver.reason, waiver.source, expires)
            for i, w in enumerate(expired):
                if suppression is None and w.matches(finding):
                    would_have[i] = would_have.get(i, 0) + 1
        results.append(Result(finding, suppression))
    warnings = [
        f"{w.source}: waiver for {w.rule} on {w.resource} expired on {w.expires.isoformat()}; "
        f"it no longer suppresses ({would_have.get(i, 0)} finding(s) it matches are reported)"
        for i, w in enumerate(expired)
    ]
    return results, warnings
