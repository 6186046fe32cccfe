"""The three equivalence scenarios (fixtures/scenarios/README.md) written as API exports.

The expected values below are transcribed from the README, so a fixture that drifts from the
scenario fails here before the cross-kind equivalence test has to explain why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checkov_ack.adapters import load_paths
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from helpers import FIXTURES

SCENARIOS = FIXTURES / "scenarios"
ANY = "0.0.0.0/0"

# SG name -> (type, inner access policy, rules as (direction, protocol, from, to, peer, action, priority))
SGS: dict[str, dict[str, tuple[str | None, str | None, set[tuple[Any, ...]] | None]]] = {
    "basic-flannel": {
        "ack-basic-sg": (
            "basic",
            "accept",
            {
                ("ingress", "icmp", -1, -1, ANY, "accept", 1),
                ("ingress", "all", -1, -1, "sg:ack-basic-sg", "accept", 1),
                ("ingress", "all", -1, -1, "172.20.0.0/16", "accept", 1),
                ("ingress", "tcp", 22, 22, ANY, "drop", 1),
                ("egress", "all", -1, -1, ANY, "accept", 1),
            },
        )
    },
    "advanced-terway": {
        "ack-advanced-sg": (
            "advanced",
            "drop",
            {
                ("ingress", "icmp", -1, -1, ANY, "accept", 1),
                ("ingress", "all", -1, -1, "10.0.0.0/8", "accept", 1),
                ("ingress", "tcp", 6443, 6443, ANY, "accept", 5),
                ("egress", "all", -1, -1, ANY, "accept", 1),
            },
        )
    },
    "existing-sg-nodepools": {
        "ack-pool-sg": (
            "basic",
            "accept",
            {
                ("ingress", "tcp", 10250, 10250, ANY, "accept", 1),
                ("ingress", "all", -1, -1, "172.16.0.0/12", "accept", 10),
                ("ingress", "tcp", 1, 65535, "192.168.0.0/16", "accept", 100),
                ("egress", "all", -1, -1, "100.64.0.0/10", "accept", 1),
            },
        ),
        # Named by the cluster and the pool, described by no response.
        "sg-bp1existing0000001": (None, None, None),
    },
}

# cluster name -> facts; SGs by name, vSwitches as CIDRs, node pools as {name: [SG names]}
CLUSTERS: dict[str, dict[str, Any]] = {
    "basic-flannel": {
        "name": "ack-flannel",
        "sg": "ack-basic-sg",
        "plugin": "flannel",
        "pod_cidr": "172.20.0.0/16",
        "service_cidr": "172.21.0.0/20",
        "vpc_cidr": "192.168.0.0/16",
        "node_vswitches": ["192.168.1.0/24"],
        "pod_vswitches": [],
        "pools": {},
    },
    "advanced-terway": {
        "name": "ack-terway",
        "sg": "ack-advanced-sg",
        "plugin": "terway",
        "pod_cidr": None,
        "service_cidr": "172.21.0.0/20",
        "vpc_cidr": "10.0.0.0/8",
        "node_vswitches": ["10.1.0.0/16"],
        "pod_vswitches": ["10.2.0.0/16"],
        "pools": {"workers": ["ack-advanced-sg"]},
    },
    "existing-sg-nodepools": {
        "name": "ack-existing",
        "sg": "sg-bp1existing0000001",
        "plugin": "flannel",
        "pod_cidr": "172.20.0.0/16",
        "service_cidr": "172.21.0.0/20",
        "vpc_cidr": "172.16.0.0/12",
        "node_vswitches": ["172.16.1.0/24"],
        "pod_vswitches": [],
        "pools": {"pool-a": ["ack-pool-sg", "sg-bp1existing0000001"]},
    },
}


def _doc(scenario: str) -> dict[str, Any]:
    directory = SCENARIOS / scenario / "api_export"
    result = load_paths([directory], AdapterOptions())
    assert [str(e) for e in result.errors] == [] and result.skipped == []
    doc = assemble(result.parts, Settings())
    assert schema_errors(doc) == []
    # Every response file is read, and only by this adapter.
    assert sorted(i["file"] for i in doc["inputs"]) == sorted(str(p) for p in directory.rglob("*.json"))
    assert {i["kind"] for i in doc["inputs"]} == {"api_export"}
    return doc


def _name(doc: dict[str, Any]) -> dict[str, str]:
    return {sg["key"]: sg["name"] or sg["key"] for sg in doc["security_groups"]}


def _cidr(facts: dict[str, Any] | None) -> str | None:
    return None if facts is None else facts["cidr"]


@pytest.mark.parametrize("scenario", sorted(SGS))
def test_scenario_security_groups(scenario: str) -> None:
    doc = _doc(scenario)
    names = _name(doc)
    assert sorted(names.values()) == sorted(SGS[scenario])
    for sg in doc["security_groups"]:
        sg_type, inner, rules = SGS[scenario][names[sg["key"]]]
        assert (sg["type"], sg["inner_access_policy"]) == (sg_type, inner)
        if rules is None:
            assert (sg["origin"], sg["rules_known"], sg["rules"]) == ("referenced", False, [])
            continue
        assert sg["origin"] == "declared"
        got = set()
        for r in sg["rules"]:
            peer = r["peer"]
            shown = _cidr(peer["cidr"]) if peer["kind"] == "cidr" else f"sg:{names[peer['sg']]}"
            got.add(
                (
                    r["direction"],
                    r["protocol"],
                    r["port_from"],
                    r["port_to"],
                    shown,
                    r["action"],
                    r["priority"],
                )
            )
        assert len(sg["rules"]) == len(rules) and got == rules


@pytest.mark.parametrize("scenario", sorted(CLUSTERS))
def test_scenario_cluster(scenario: str) -> None:
    doc = _doc(scenario)
    names = _name(doc)
    want = CLUSTERS[scenario]
    (c,) = doc["clusters"]
    assert (c["name"], c["kind"], names[c["security_group"]]) == (want["name"], "managed", want["sg"])
    assert c["network_plugin"] == want["plugin"]
    assert (_cidr(c["pod_cidr"]), _cidr(c["service_cidr"])) == (want["pod_cidr"], want["service_cidr"])
    assert (_cidr(c["vpc"]["cidr"]), c["vpc"]["secondary_cidrs"]) == (want["vpc_cidr"], [])
    assert [_cidr(v["cidr"]) for v in c["node_vswitches"]] == want["node_vswitches"]
    assert [_cidr(v["cidr"]) for v in c["pod_vswitches"]] == want["pod_vswitches"]
    assert {p["name"]: [names[s] for s in p["security_groups"]] for p in c["node_pools"]} == want["pools"]
    assert sorted(names[k] for k in c["sg_set"]) == sorted(
        {want["sg"], *(s for sgs in want["pools"].values() for s in sgs)}
    )


def test_existing_sg_has_no_attribute_response() -> None:
    directory = SCENARIOS / "existing-sg-nodepools" / "api_export"
    texts = [p.read_text() for p in Path(directory).rglob("*.json")]
    assert any("sg-bp1existing0000001" in t for t in texts)
    assert not any('"SecurityGroupId": "sg-bp1existing0000001"' in t for t in texts)
