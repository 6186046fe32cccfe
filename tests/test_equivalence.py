"""The same scenario written in all four input kinds normalizes to equivalent documents.

Equivalent: same clusters, SGs (matched by name) and rules; keys, addresses, locations and
provenance may differ. Facts that an input kind cannot carry (an API export has no vSwitch CIDRs)
are compared only where both documents know them.
"""

from __future__ import annotations

from typing import Any

import pytest

from checkov_ack.adapters import load_paths
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from helpers import FIXTURES

SCENARIOS = FIXTURES / "scenarios"
KINDS = ("terraform_hcl", "terraform_plan", "ros", "api_export")
SCENARIO_NAMES = ("basic-flannel", "advanced-terway", "existing-sg-nodepools")


def _document(scenario: str, kind: str) -> dict[str, Any]:
    path = SCENARIOS / scenario / kind
    assert path.is_dir(), f"scenario {scenario} has no {kind} version at {path}"
    result = load_paths([path], AdapterOptions())
    assert not result.errors, [str(e) for e in result.errors]
    doc = assemble(result.parts, Settings())
    assert schema_errors(doc) == []
    assert {i["kind"] for i in doc["inputs"]} == {kind}
    return doc


def _sg_names(doc: dict[str, Any]) -> dict[str, str]:
    return {sg["key"]: sg["name"] or sg["id"] or sg["key"] for sg in doc["security_groups"]}


def _peer(peer: dict[str, Any], names: dict[str, str]) -> str:
    if peer["kind"] == "cidr":
        return str(peer["cidr"]["cidr"])
    if peer["kind"] == "sg":
        return "sg:" + names.get(peer["sg"], peer["sg"])
    return f"{peer['kind']}:{peer['prefix_list']}"


def canonical(doc: dict[str, Any]) -> dict[str, Any]:
    names = _sg_names(doc)
    sgs = {}
    for sg in doc["security_groups"]:
        rules = sorted(
            (r["direction"], r["protocol"], r["port_from"], r["port_to"], _peer(r["peer"], names),
             r["action"], r["priority"])
            for r in sg["rules"]
        )
        sgs[names[sg["key"]]] = {
            "type": sg["type"],
            "inner_access_policy": sg["inner_access_policy"],
            "rules_known": sg["rules_known"],
            "rules": rules,
        }
    clusters = {}
    for c in doc["clusters"]:
        clusters[c["name"]] = {
            "kind": c["kind"],
            "network_plugin": c["network_plugin"],
            "security_group": names.get(c["security_group"], c["security_group"]),
            "pod_cidr": c["pod_cidr"] and c["pod_cidr"]["cidr"],
            "service_cidr": c["service_cidr"] and c["service_cidr"]["cidr"],
            "vpc_cidr": c["vpc"]["cidr"] and c["vpc"]["cidr"]["cidr"],
            "node_vswitch_cidrs": sorted(v["cidr"]["cidr"] for v in c["node_vswitches"] if v["cidr"]) or None,
            "pod_vswitch_cidrs": sorted(v["cidr"]["cidr"] for v in c["pod_vswitches"] if v["cidr"]) or None,
            "node_pools": sorted(
                (p["name"], tuple(sorted(names.get(s, s) for s in p["security_groups"] or [])))
                for p in c["node_pools"]
            ),
            "sg_set": sorted(names.get(s, s) for s in c["sg_set"]),
        }
    return {"clusters": clusters, "security_groups": sgs}


_OPTIONAL = ("vpc_cidr", "node_vswitch_cidrs", "pod_vswitch_cidrs")


def _comparable(a: dict[str, Any], b: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Drop optional cluster facts that one side cannot know."""
    for name in set(a["clusters"]) & set(b["clusters"]):
        ca, cb = a["clusters"][name], b["clusters"][name]
        for fact in _OPTIONAL:
            if ca[fact] is None or cb[fact] is None:
                ca.pop(fact)
                cb.pop(fact)
    return a, b


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
@pytest.mark.parametrize("kind", KINDS[1:])
def test_kind_matches_terraform_hcl(scenario: str, kind: str) -> None:
    reference = canonical(_document(scenario, "terraform_hcl"))
    other = canonical(_document(scenario, kind))
    reference, other = _comparable(reference, other)
    assert other == reference


@pytest.mark.parametrize("scenario", SCENARIO_NAMES)
def test_scenario_carries_what_the_readme_says(scenario: str) -> None:
    doc = canonical(_document(scenario, "terraform_hcl"))
    assert len(doc["clusters"]) == 1
    cluster = next(iter(doc["clusters"].values()))
    expected_plugin = "terway" if scenario == "advanced-terway" else "flannel"
    assert cluster["network_plugin"] == expected_plugin
    assert cluster["service_cidr"] == "172.21.0.0/20"
    if scenario == "existing-sg-nodepools":
        assert doc["security_groups"]["sg-bp1existing0000001"]["rules_known"] is False
        assert cluster["node_pools"] == [("pool-a", tuple(sorted(["ack-pool-sg", "sg-bp1existing0000001"])))]


def test_every_scenario_has_every_kind() -> None:
    missing = [f"{s}/{k}" for s in SCENARIO_NAMES for k in KINDS if not (SCENARIOS / s / k).is_dir()]
    assert missing == []


def test_canonical_form_notices_a_changed_rule() -> None:
    # Guard against an equivalence check that could never fail.
    doc = _document("basic-flannel", "terraform_hcl")
    before = canonical(doc)
    doc["security_groups"][0]["rules"][0]["priority"] = 99
    assert canonical(doc) != before


