"""Merge adapter parts into one document: shared SGs, placeholders, SG sets, settings, overrides."""

from __future__ import annotations

from typing import Any

from checkov_ack.model.document import (
    SCHEMA_VERSION,
    Json,
    SecurityGroupInput,
    cidr_or_none,
    make_security_group,
)
from checkov_ack.model.settings import Settings


def _merge_sg(into: Json, other: Json) -> None:
    """Two views of one SG (API pages, DescribeSecurityGroups + attribute): fill gaps, add rules."""
    for name in ("id", "name", "type", "inner_access_policy", "vpc_id"):
        if into.get(name) is None and other.get(name) is not None:
            into[name] = other[name]
            into["provenance"][name] = other["provenance"].get(name, "given")
    if other["origin"] == "declared" and into["origin"] != "declared":
        into.update(origin="declared", rules_known=True, loc=other["loc"], address=other["address"])
    if into["origin"] == "declared" and into["type"] is not None:
        into["provenance"].pop("type_default_pending", None)
    seen = {r["key"] for r in into["rules"]}
    into["rules"].extend(r for r in other["rules"] if r["key"] not in seen)
    into["skips"].extend(s for s in other["skips"] if s not in into["skips"])


def _placeholder(key: str, address: str, file: str, line: int | None, origin: str) -> Json:
    sg_id = key if key.startswith("sg-") else None
    return make_security_group(
        SecurityGroupInput(key=key, address=address, file=file, line=line, id=sg_id, origin=origin)
    )


def _apply_overrides(doc: Json, settings: Settings) -> None:
    ov = settings.overrides
    for sg in doc["security_groups"]:
        if ov.sg_type:
            sg["type"] = ov.sg_type
            sg["provenance"]["type"] = "override"
            if ov.sg_type == "advanced":
                sg["inner_access_policy"] = "drop"
    for cluster in doc["clusters"]:
        prov = cluster["provenance"]
        if ov.network_plugin:
            cluster["network_plugin"] = ov.network_plugin
            prov["network_plugin"] = "override"
        if ov.pod_cidr:
            cluster["pod_cidr"] = cidr_or_none(ov.pod_cidr)
            prov["pod_cidr"] = "override"
        if ov.api_server_address:
            cluster["api_server_address"] = cidr_or_none(ov.api_server_address)
            prov["api_server_address"] = "override"
        if ov.vpc_cidrs:
            facts = [cidr_or_none(c) for c in ov.vpc_cidrs]
            cluster["vpc"]["cidr"] = facts[0]
            cluster["vpc"]["secondary_cidrs"] = facts[1:]
            prov["vpc.cidr"] = prov["vpc.secondary_cidrs"] = "override"
        if ov.vswitch_cidrs:
            cluster["node_vswitches"] = [{"id": None, "cidr": cidr_or_none(c)} for c in ov.vswitch_cidrs]
            prov["node_vswitches"] = "override"
            for key in [k for k in prov if k.startswith("node_vswitches[")]:
                del prov[key]


def assemble(parts: list[Json], settings: Settings) -> Json:
    """One document from every adapter part, ready for the policies."""
    sgs: dict[str, Json] = {}
    clusters: list[Json] = []
    inputs: list[Json] = []
    for part in parts:
        inputs.extend(part["inputs"])
        clusters.extend(part["clusters"])
        for sg in part["security_groups"]:
            if sg["key"] in sgs:
                _merge_sg(sgs[sg["key"]], sg)
            else:
                sgs[sg["key"]] = sg
    by_id = {sg["id"]: sg["key"] for sg in sgs.values() if sg.get("id")}

    def resolve(ref: str) -> str:
        return ref if ref in sgs else by_id.get(ref, ref)

    for cluster in clusters:
        file, line = cluster["loc"]["file"], cluster["loc"]["line"]
        if cluster["security_group"] is None and cluster["provenance"].get("security_group") != "unknown":
            key = f"{cluster['key']}#ack-created-sg"
            address = f"{cluster['address']} (ACK-created SG)"
            sgs.setdefault(key, _placeholder(key, address, file, line, "ack_created"))
            cluster["security_group"] = key
            cluster["provenance"]["security_group"] = "default"
        members: list[str] = []
        if cluster["security_group"] is not None:
            cluster["security_group"] = resolve(cluster["security_group"])
            members.append(cluster["security_group"])
        for pool in cluster["node_pools"]:
            if pool["security_groups"] is None and pool["provenance"].get("security_groups") == "default":
                pool["security_groups"] = [cluster["security_group"]] if cluster["security_group"] else None
            pool["security_groups"] = (
                None if pool["security_groups"] is None else [resolve(s) for s in pool["security_groups"]]
            )
            members.extend(pool["security_groups"] or [])
        for key in members:
            if key not in sgs:
                sgs[key] = _placeholder(key, key, file, line, "referenced")
        cluster["sg_set"] = list(dict.fromkeys(members))

    doc: Json = {
        "schema_version": SCHEMA_VERSION,
        "settings": settings.to_document(),
        "inputs": inputs,
        "clusters": clusters,
        "security_groups": list(sgs.values()),
    }
    # Overrides first, so that peers see the SG types the overrides set.
    _apply_overrides(doc, settings)
    sg_type = {sg["key"]: sg["type"] for sg in sgs.values()}
    for sg in sgs.values():
        for rule in sg["rules"]:
            peer = rule["peer"]
            if peer["kind"] == "sg":
                peer["sg"] = resolve(peer["sg"])
                peer["sg_type"] = sg_type.get(peer["sg"])
    return doc


def unit_documents(doc: Json) -> list[Json]:
    """Evaluation units: one per cluster with just its SG set (and peer SGs), plus one for the SGs
    that belong to no cluster. Keeps regopy's unhashed joins small and cost linear."""
    by_key: dict[str, Any] = {sg["key"]: sg for sg in doc["security_groups"]}
    used: set[str] = set()
    units = []
    for cluster in doc["clusters"]:
        keys = list(cluster["sg_set"])
        used.update(keys)
        units.append(
            {**doc, "clusters": [cluster], "security_groups": [by_key[k] for k in keys if k in by_key]}
        )
    rest = [sg for sg in doc["security_groups"] if sg["key"] not in used]
    if rest or not units:
        units.append({**doc, "clusters": [], "security_groups": rest})
    return units
