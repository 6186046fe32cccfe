"""Builders for the normalized document (schemas/normalized-document.schema.json).

Adapters describe what they read with the small input dataclasses below; these functions turn them
into the document's JSON shape so that every input kind normalizes values the same way (case,
port ranges, peer precedence, CIDR facts, API defaults, provenance). No rule is judged here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checkov_ack.model.cidr import CidrError, cidr_facts
from checkov_ack.model.ports import parse_port_range

SCHEMA_VERSION = "1.0"

# Marker for "the scan cannot know this value" (Terraform after-apply, unresolved variable...).
UNKNOWN: Any = type("Unknown", (), {"__repr__": lambda self: "UNKNOWN"})()

Json = dict[str, Any]


def loc(file: str, line: int | None) -> Json:
    return {"file": file, "line": line if isinstance(line, int) and line > 0 else None}


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


def _blank(value: Any) -> bool:
    # The API returns "" for every unused field; Terraform and ROS omit them.
    return value is None or (isinstance(value, str) and value.strip() == "")


class _Prov:
    """Collects a provenance entry per field while values are normalized."""

    def __init__(self, defaults: set[str]) -> None:
        self.defaults = defaults
        self.entries: dict[str, str] = {}
        self.raw: dict[str, Any] = {}

    def take(self, name: str, value: Any, default: Any = None) -> Any:
        """The known value, or None; records given/default/unknown."""
        if is_unknown(value):
            self.entries[name] = "unknown"
            return None
        if _blank(value):
            if default is not None:
                self.entries[name] = "default"
                return default
            return None
        self.entries[name] = "default" if name in self.defaults else "given"
        return value

    def invalid(self, name: str, raw: Any) -> None:
        self.entries[name] = "invalid"
        self.raw[name] = raw if isinstance(raw, (str, int, float, bool)) else str(raw)


def _text(value: Any) -> str | None:
    """A known value for a text field. Inputs may hold numbers or booleans where the API wants text
    (`name = true` in HCL); the schema wants a string, as Terraform would convert it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def cidr_or_none(value: Any) -> Json | None:
    """CIDR facts for a known, valid CIDR; None otherwise (callers record why)."""
    if value is None or is_unknown(value):
        return None
    try:
        return cidr_facts(str(value))
    except CidrError:
        return None


def _lower(value: Any) -> Any:
    # Known values of text fields are text, whatever the input held (`ip_protocol = true` in HCL):
    # the schema wants a string; the policies then judge the odd value.
    text = _text(value)
    return None if text is None else text.strip().lower()


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


@dataclass
class RuleInput:
    """One security-group rule as read, in API vocabulary; UNKNOWN where the scan cannot know."""

    key: str
    address: str
    file: str
    line: int | None
    direction: Any = None
    protocol: Any = None
    port_range: Any = None
    cidr_ip: Any = None
    ipv6_cidr_ip: Any = None
    peer_sg_id: Any = None  # an SG key or ID; adapters resolve references to document keys
    prefix_list_id: Any = None
    policy: Any = None
    priority: Any = None
    nic_type: Any = None
    description: Any = None
    action: str | None = None  # planned change (plan JSON)
    skips: list[Json] = field(default_factory=list)
    defaults: set[str] = field(default_factory=set)  # fields the input itself filled by default


def _peer(rule: RuleInput, prov: _Prov) -> Json:
    """The effective peer, with the API's precedence: CIDR > SG > prefix list."""
    peer: Json = {"kind": "none", "cidr": None, "sg": None, "sg_type": None, "prefix_list": None}
    for value in (rule.cidr_ip, rule.ipv6_cidr_ip):
        if is_unknown(value):
            prov.entries["peer"] = "unknown"
            peer["kind"] = "unknown"
            return peer
        if not _blank(value):
            facts = cidr_or_none(value)
            if facts is None:
                prov.invalid("peer", value)
                peer["kind"] = "invalid"
                return peer
            prov.entries["peer"] = "given"
            peer.update(kind="cidr", cidr=facts)
            return peer
    if is_unknown(rule.peer_sg_id):
        prov.entries["peer"] = "unknown"
        peer["kind"] = "unknown"
        return peer
    if not _blank(rule.peer_sg_id):
        prov.entries["peer"] = "given"
        peer.update(kind="sg", sg=str(rule.peer_sg_id))
        return peer
    if is_unknown(rule.prefix_list_id):
        prov.entries["peer"] = "unknown"
        peer["kind"] = "unknown"
        return peer
    if not _blank(rule.prefix_list_id):
        prov.entries["peer"] = "given"
        peer.update(kind="prefix_list", prefix_list=str(rule.prefix_list_id))
    return peer


def make_rule(rule: RuleInput) -> Json:
    prov = _Prov(rule.defaults)
    direction = _lower(prov.take("direction", rule.direction))
    protocol = _lower(prov.take("protocol", rule.protocol))
    port_range = prov.take("port_range", rule.port_range, default="-1/-1")
    ports = parse_port_range(port_range) if port_range is not None else None
    if port_range is not None and ports is None:
        prov.invalid("port_range", port_range)
    policy = _lower(prov.take("action", rule.policy, default="accept"))
    raw_priority = prov.take("priority", rule.priority, default=1)
    priority = _as_int(raw_priority) if raw_priority is not None else None
    if raw_priority is not None and priority is None:
        prov.invalid("priority", raw_priority)
    nic_type = _lower(prov.take("nic_type", rule.nic_type, default="intranet"))
    description = prov.take("description", rule.description)
    return {
        "key": rule.key,
        "address": rule.address,
        "direction": direction,
        "protocol": protocol,
        "port_range": None if port_range is None else str(port_range),
        "port_from": ports[0] if ports else None,
        "port_to": ports[1] if ports else None,
        "peer": _peer(rule, prov),
        "action": policy,
        "priority": priority,
        "nic_type": nic_type,
        "description": None if description is None else str(description),
        "change": rule.action,
        "loc": loc(rule.file, rule.line),
        "provenance": prov.entries,
        "raw": prov.raw,
        "skips": rule.skips,
    }


_SG_TYPES = {"normal": "basic", "basic": "basic", "enterprise": "advanced", "advanced": "advanced"}


@dataclass
class SecurityGroupInput:
    key: str
    address: str
    file: str
    line: int | None
    id: Any = None
    name: Any = None
    sg_type: Any = None  # normal / enterprise (API vocabulary) or basic / advanced
    inner_access_policy: Any = None  # Accept / Drop, or a bool for Terraform's inner_access
    vpc_id: Any = None
    origin: str = "declared"  # declared | referenced | ack_created | clone
    action: str | None = None
    skips: list[Json] = field(default_factory=list)
    defaults: set[str] = field(default_factory=set)


def make_security_group(sg: SecurityGroupInput, rules: list[Json] | None = None) -> Json:
    prov = _Prov(sg.defaults)
    declared = sg.origin == "declared"
    raw_type = _lower(prov.take("type", sg.sg_type, default="normal" if declared else None))
    sg_type = _SG_TYPES.get(raw_type) if raw_type is not None else None
    if raw_type is not None and sg_type is None:
        prov.invalid("type", raw_type)
    inner = sg.inner_access_policy
    if isinstance(inner, bool):
        inner = "accept" if inner else "drop"
    inner_default = "accept" if declared and sg_type != "advanced" else None
    if sg_type == "advanced" and not is_unknown(inner):
        # Advanced SGs isolate members whatever the field says; the type decides.
        inner = "drop"
        prov.entries["inner_access_policy"] = "derived"
        inner_value: Any = "drop"
    else:
        inner_value = _lower(prov.take("inner_access_policy", inner, default=inner_default))
        if inner_value not in (None, "accept", "drop"):
            prov.invalid("inner_access_policy", inner_value)
            inner_value = None
    sg_id = prov.take("id", sg.id)
    return {
        "key": sg.key,
        "id": None if sg_id is None else str(sg_id),
        "address": sg.address,
        "name": _text(prov.take("name", sg.name)),
        "type": sg_type,
        "inner_access_policy": inner_value,
        "vpc_id": _text(prov.take("vpc_id", sg.vpc_id)),
        "origin": sg.origin,
        "rules_known": declared,
        "change": sg.action,
        "rules": list(rules or []),
        "loc": loc(sg.file, sg.line),
        "provenance": prov.entries,
        "raw": prov.raw,
        "skips": sg.skips,
    }


@dataclass
class VSwitchInput:
    id: Any = None
    cidr: Any = None


@dataclass
class NodePoolInput:
    key: str
    address: str
    file: str
    line: int | None
    name: Any = None
    security_groups: Any = None  # list of SG keys/IDs, UNKNOWN, or None (inherits the cluster SG)
    vswitches: list[VSwitchInput] | Any = field(default_factory=list)
    action: str | None = None
    skips: list[Json] = field(default_factory=list)


@dataclass
class ClusterInput:
    key: str
    address: str
    file: str
    line: int | None
    kind: str = "managed"  # managed | dedicated | unknown
    cluster_id: Any = None
    name: Any = None
    security_group: Any = None  # SG key/ID; None means ACK creates one
    is_enterprise_security_group: Any = None
    network_plugin: Any = None  # flannel | terway | None (unknown)
    pod_cidr: Any = None
    service_cidr: Any = None
    vpc_id: Any = None
    vpc_cidr: Any = None
    vpc_secondary_cidrs: list[Any] | Any = field(default_factory=list)
    node_vswitches: list[VSwitchInput] | Any = field(default_factory=list)
    pod_vswitches: list[VSwitchInput] | Any = field(default_factory=list)
    api_server_address: Any = None
    node_pools: list[NodePoolInput] = field(default_factory=list)
    action: str | None = None
    skips: list[Json] = field(default_factory=list)


def external_cluster(
    key: str, address: str, file: str, line: int | None, cluster_id: str | None = None
) -> ClusterInput:
    """The cluster of node pools whose cluster is not in the scanned sources (the caller adds the
    pools). Only the ID a pool names may be known (None: not even that); every other fact is
    UNKNOWN, never left empty: an empty field reads as a given value (no vSwitches, no API server
    address) and would let a rule pass on what nobody knows."""
    return ClusterInput(
        key=key,
        address=address,
        file=file,
        line=line,
        kind="unknown",
        cluster_id=UNKNOWN if cluster_id is None else cluster_id,
        name=UNKNOWN,
        security_group=UNKNOWN,
        is_enterprise_security_group=UNKNOWN,
        network_plugin=UNKNOWN,
        pod_cidr=UNKNOWN,
        service_cidr=UNKNOWN,
        vpc_id=UNKNOWN,
        vpc_cidr=UNKNOWN,
        vpc_secondary_cidrs=UNKNOWN,
        node_vswitches=UNKNOWN,
        pod_vswitches=UNKNOWN,
        api_server_address=UNKNOWN,
    )


def _cidr_field(prov: _Prov, name: str, value: Any) -> Json | None:
    known = prov.take(name, value)
    if known is None:
        return None
    facts = cidr_or_none(known)
    if facts is None:
        prov.invalid(name, known)
    return facts


def _vswitches(prov: _Prov, name: str, value: Any) -> list[Json]:
    if is_unknown(value):
        prov.entries[name] = "unknown"
        return []
    out = []
    for i, vsw in enumerate(value or []):
        sub = f"{name}[{i}]"
        vid = prov.take(sub + ".id", vsw.id)
        cidr = _cidr_field(prov, sub + ".cidr", vsw.cidr)
        out.append({"id": None if vid is None else str(vid), "cidr": cidr})
        if vsw.cidr is None and sub + ".cidr" not in prov.entries:
            prov.entries[sub + ".cidr"] = "unknown"
    if value:
        prov.entries.setdefault(name, "given")
    return out


def _node_pool(pool: NodePoolInput, cluster_sg: str | None, sg_pending: bool = False) -> Json:
    prov = _Prov(set())
    sgs = pool.security_groups
    if is_unknown(sgs):
        prov.entries["security_groups"] = "unknown"
        sg_list: list[str] | None = None
    elif not sgs:
        # Per the provider docs a pool without SGs joins the cluster's SG.
        prov.entries["security_groups"] = "default"
        sg_list = [cluster_sg] if cluster_sg else None
        if cluster_sg is None and not sg_pending:
            # sg_pending: the cluster SG is the ACK-created one, which assemble fills in later.
            prov.entries["security_groups"] = "unknown"
    else:
        prov.entries["security_groups"] = "given"
        sg_list = [str(s) for s in sgs]
    return {
        "key": pool.key,
        "address": pool.address,
        "name": _text(prov.take("name", pool.name)),
        "security_groups": sg_list,
        "vswitches": _vswitches(prov, "vswitches", pool.vswitches),
        "change": pool.action,
        "loc": loc(pool.file, pool.line),
        "provenance": prov.entries,
        "skips": pool.skips,
    }


def make_cluster(cluster: ClusterInput) -> Json:
    prov = _Prov(set())
    sg = cluster.security_group
    if is_unknown(sg):
        prov.entries["security_group"] = "unknown"
        sg_key: str | None = None
    elif _blank(sg):
        sg_key = None  # filled by finalize with an ACK-created placeholder
    else:
        prov.entries["security_group"] = "given"
        sg_key = str(sg)
    plugin = _lower(prov.take("network_plugin", cluster.network_plugin))
    if plugin not in ("flannel", "terway"):
        if plugin is not None:
            prov.invalid("network_plugin", plugin)
        plugin = "unknown"
        prov.entries.setdefault("network_plugin", "unknown")
    secondary: list[Json] = []
    if is_unknown(cluster.vpc_secondary_cidrs):
        prov.entries["vpc.secondary_cidrs"] = "unknown"
    else:
        for i, c in enumerate(cluster.vpc_secondary_cidrs or []):
            facts = _cidr_field(prov, f"vpc.secondary_cidrs[{i}]", c)
            if facts:
                secondary.append(facts)
    ent = prov.take("is_enterprise_security_group", cluster.is_enterprise_security_group)
    cid = prov.take("cluster_id", cluster.cluster_id)
    vpc_id = prov.take("vpc.id", cluster.vpc_id)
    return {
        "key": cluster.key,
        "address": cluster.address,
        "cluster_id": None if cid is None else str(cid),
        "name": _text(prov.take("name", cluster.name)),
        "kind": cluster.kind,
        "security_group": sg_key,
        "is_enterprise_security_group": ent if isinstance(ent, bool) else None,
        "network_plugin": plugin,
        "pod_cidr": _cidr_field(prov, "pod_cidr", cluster.pod_cidr),
        "service_cidr": _cidr_field(prov, "service_cidr", cluster.service_cidr),
        "vpc": {
            "id": None if vpc_id is None else str(vpc_id),
            "cidr": _cidr_field(prov, "vpc.cidr", cluster.vpc_cidr),
            "secondary_cidrs": secondary,
        },
        "node_vswitches": _vswitches(prov, "node_vswitches", cluster.node_vswitches),
        "pod_vswitches": _vswitches(prov, "pod_vswitches", cluster.pod_vswitches),
        "api_server_address": _cidr_field(prov, "api_server_address", cluster.api_server_address),
        "node_pools": [
            _node_pool(p, sg_key, sg_key is None and prov.entries.get("security_group") != "unknown")
            for p in cluster.node_pools
        ],
        "sg_set": [],
        "change": cluster.action,
        "loc": loc(cluster.file, cluster.line),
        "provenance": prov.entries,
        "raw": prov.raw,
        "skips": cluster.skips,
    }


def empty_part(file: str, kind: str) -> Json:
    """What one adapter returns for one input: the inputs it read and the entities it found."""
    return {"inputs": [{"file": file, "kind": kind}], "clusters": [], "security_groups": []}
