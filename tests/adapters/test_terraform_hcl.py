"""Terraform HCL adapter: golden documents per feature case and scenario, plus the facts each case is for.

Goldens are regenerated only on purpose: `UPDATE_GOLDEN=1 python -m pytest tests/adapters/test_terraform_hcl.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, ROOT

from checkov_ack.adapters import terraform_hcl
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings

CASES_DIR = FIXTURES / "adapters" / "terraform_hcl"
GOLDEN_SCENARIOS = CASES_DIR / "_scenarios"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir() and not p.name.startswith("_"))
SCENARIOS = sorted(p.parent.name for p in (FIXTURES / "scenarios").glob("*/terraform_hcl"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Keys and locations carry the directory as given: run from the repository root for stable goldens.
    monkeypatch.chdir(ROOT)


def tf_dirs(base: Path) -> list[Path]:
    """What adapters/__init__.py hands the adapter: every directory holding .tf files."""
    rel = base.relative_to(ROOT) if base.is_absolute() else base
    return sorted({p.parent for p in rel.rglob("*.tf")})


def options_for(case_dir: Path) -> AdapterOptions:
    path = case_dir / "options.json"
    if not path.exists():
        return AdapterOptions()
    data = json.loads(path.read_text())
    rel = case_dir.relative_to(ROOT)
    return AdapterOptions(var_files=[rel / f for f in data.get("var_files", [])], params=data.get("params", {}))


def run(case_dir: Path, options: AdapterOptions | None = None) -> tuple[dict[str, Any], list[InputError]]:
    parts, errors = terraform_hcl.load(tf_dirs(case_dir), options or options_for(case_dir))
    return assemble(parts, Settings()), errors


def check_golden(doc: dict[str, Any], golden: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    assert golden.exists(), f"no golden {golden}; run with UPDATE_GOLDEN=1 once and review it"
    assert doc == json.loads(golden.read_text())


@pytest.mark.parametrize("case", CASES)
def test_case_matches_golden(case: str) -> None:
    doc, errors = run(CASES_DIR / case)
    assert [str(e) for e in errors] == []
    assert schema_errors(doc) == []
    check_golden(doc, CASES_DIR / case / "expected.json")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_matches_golden(scenario: str) -> None:
    doc, errors = run(FIXTURES / "scenarios" / scenario / "terraform_hcl")
    assert [str(e) for e in errors] == []
    assert schema_errors(doc) == []
    check_golden(doc, GOLDEN_SCENARIOS / f"{scenario}.json")


# ---------------------------------------------------------------- helpers for fact checks


def sg_named(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found = [sg for sg in doc["security_groups"] if sg["name"] == name]
    assert len(found) == 1, [sg["name"] for sg in doc["security_groups"]]
    return found[0]


def sg_keyed(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(sg for sg in doc["security_groups"] if sg["key"] == key)


def rule_at(doc: dict[str, Any], address: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(rule, its SG) by the rule's Terraform address."""
    for sg in doc["security_groups"]:
        for rule in sg["rules"]:
            if rule["address"] == address:
                return rule, sg
    raise AssertionError(f"no rule {address}")


def cluster_named(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in doc["clusters"] if c["name"] == name)


def peer_cidr(rule: dict[str, Any]) -> str | None:
    return rule["peer"]["cidr"]["cidr"] if rule["peer"]["cidr"] else None


def effective(rule: dict[str, Any], names: dict[str, str]) -> tuple[Any, ...]:
    peer = rule["peer"]
    who = peer_cidr(rule) if peer["kind"] == "cidr" else names.get(peer["sg"], peer["sg"])
    return (rule["direction"], rule["protocol"], rule["port_from"], rule["port_to"], who, rule["action"],
            rule["priority"])


def key(case: str, address: str) -> str:
    return f"tf:fixtures/adapters/terraform_hcl/{case}:{address}"


# ---------------------------------------------------------------- scenarios (what the README lists)


def scenario(name: str) -> dict[str, Any]:
    doc, errors = run(FIXTURES / "scenarios" / name / "terraform_hcl")
    assert errors == []
    return doc


def sg_rules(doc: dict[str, Any], sg: dict[str, Any]) -> set[tuple[Any, ...]]:
    names = {s["key"]: s["name"] for s in doc["security_groups"]}
    return {effective(r, names) for r in sg["rules"]}


def test_scenario_basic_flannel_facts() -> None:
    doc = scenario("basic-flannel")
    sg = sg_named(doc, "ack-basic-sg")
    assert (sg["type"], sg["inner_access_policy"], sg["origin"]) == ("basic", "accept", "declared")
    assert sg_rules(doc, sg) == {
        ("ingress", "icmp", -1, -1, "0.0.0.0/0", "accept", 1),
        ("ingress", "all", -1, -1, "ack-basic-sg", "accept", 1),
        ("ingress", "all", -1, -1, "172.20.0.0/16", "accept", 1),
        ("ingress", "tcp", 22, 22, "0.0.0.0/0", "drop", 1),
        ("egress", "all", -1, -1, "0.0.0.0/0", "accept", 1),
    }
    (cluster,) = doc["clusters"]
    assert cluster["name"] == "ack-flannel" and cluster["kind"] == "managed"
    assert cluster["security_group"] == sg["key"] and cluster["sg_set"] == [sg["key"]]
    assert cluster["network_plugin"] == "flannel"
    assert cluster["pod_cidr"]["cidr"] == "172.20.0.0/16" and cluster["service_cidr"]["cidr"] == "172.21.0.0/20"
    assert cluster["vpc"]["cidr"]["cidr"] == "192.168.0.0/16"
    assert [v["cidr"]["cidr"] for v in cluster["node_vswitches"]] == ["192.168.1.0/24"]
    assert cluster["node_pools"] == []


def test_scenario_advanced_terway_facts() -> None:
    doc = scenario("advanced-terway")
    sg = sg_named(doc, "ack-advanced-sg")
    assert (sg["type"], sg["inner_access_policy"]) == ("advanced", "drop")
    assert sg["address"] == "module.cluster_sg.alicloud_security_group.this"
    assert sg_rules(doc, sg) == {
        ("ingress", "icmp", -1, -1, "0.0.0.0/0", "accept", 1),
        ("ingress", "all", -1, -1, "10.0.0.0/8", "accept", 1),
        ("ingress", "tcp", 6443, 6443, "0.0.0.0/0", "accept", 5),
        ("egress", "all", -1, -1, "0.0.0.0/0", "accept", 1),
    }
    (cluster,) = doc["clusters"]
    assert (cluster["name"], cluster["network_plugin"], cluster["security_group"]) == (
        "ack-terway", "terway", sg["key"])
    assert cluster["pod_cidr"] is None and cluster["service_cidr"]["cidr"] == "172.21.0.0/20"
    assert [v["cidr"]["cidr"] for v in cluster["node_vswitches"]] == ["10.1.0.0/16"]
    assert [v["cidr"]["cidr"] for v in cluster["pod_vswitches"]] == ["10.2.0.0/16"]
    (pool,) = cluster["node_pools"]
    assert pool["name"] == "workers" and pool["security_groups"] == [sg["key"]]


def test_scenario_existing_sg_facts() -> None:
    doc = scenario("existing-sg-nodepools")
    existing = sg_keyed(doc, "sg-bp1existing0000001")
    assert (existing["origin"], existing["id"], existing["rules_known"]) == ("referenced", "sg-bp1existing0000001",
                                                                            False)
    pool_sg = sg_named(doc, "ack-pool-sg")
    assert (pool_sg["type"], pool_sg["inner_access_policy"]) == ("basic", "accept")
    assert sg_rules(doc, pool_sg) == {
        ("ingress", "tcp", 10250, 10250, "0.0.0.0/0", "accept", 1),
        ("ingress", "all", -1, -1, "172.16.0.0/12", "accept", 10),
        ("ingress", "tcp", 1, 65535, "192.168.0.0/16", "accept", 100),
        ("egress", "all", -1, -1, "100.64.0.0/10", "accept", 1),
    }
    (cluster,) = doc["clusters"]
    assert cluster["name"] == "ack-existing" and cluster["security_group"] == "sg-bp1existing0000001"
    assert cluster["network_plugin"] == "flannel" and cluster["pod_cidr"]["cidr"] == "172.20.0.0/16"
    (pool,) = cluster["node_pools"]
    assert pool["name"] == "pool-a"
    assert pool["security_groups"] == [pool_sg["key"], "sg-bp1existing0000001"]
    assert set(cluster["sg_set"]) == {pool_sg["key"], "sg-bp1existing0000001"}
