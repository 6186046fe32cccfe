"""Terraform HCL adapter: golden documents per feature case and scenario, plus the facts each case is for.

Regenerate goldens only on purpose: `UPDATE_GOLDEN=1 python -m pytest tests/adapters/test_terraform_hcl.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from checkov_ack.adapters import terraform_hcl
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from helpers import FIXTURES, ROOT

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
    return AdapterOptions(
        var_files=[rel / f for f in data.get("var_files", [])], params=data.get("params", {})
    )


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
    return (
        rule["direction"],
        rule["protocol"],
        rule["port_from"],
        rule["port_to"],
        who,
        rule["action"],
        rule["priority"],
    )


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
    assert (
        cluster["pod_cidr"]["cidr"] == "172.20.0.0/16" and cluster["service_cidr"]["cidr"] == "172.21.0.0/20"
    )
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
        "ack-terway",
        "terway",
        sg["key"],
    )
    assert cluster["pod_cidr"] is None and cluster["service_cidr"]["cidr"] == "172.21.0.0/20"
    assert [v["cidr"]["cidr"] for v in cluster["node_vswitches"]] == ["10.1.0.0/16"]
    assert [v["cidr"]["cidr"] for v in cluster["pod_vswitches"]] == ["10.2.0.0/16"]
    (pool,) = cluster["node_pools"]
    assert pool["name"] == "workers" and pool["security_groups"] == [sg["key"]]


def test_scenario_existing_sg_facts() -> None:
    doc = scenario("existing-sg-nodepools")
    existing = sg_keyed(doc, "sg-bp1existing0000001")
    assert (existing["origin"], existing["id"], existing["rules_known"]) == (
        "referenced",
        "sg-bp1existing0000001",
        False,
    )
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


# ---------------------------------------------------------------- feature cases: the facts they exist for


def case(name: str) -> dict[str, Any]:
    doc, errors = run(CASES_DIR / name)
    assert errors == []
    return doc


def test_variable_precedence() -> None:
    doc = case("variables")
    cidr = {
        a: peer_cidr(rule_at(doc, f"alicloud_security_group_rule.{a}")[0])
        for a in ("default", "tfvars", "auto", "var_file", "param")
    }
    # default < terraform.tfvars < *.auto.tfvars (lexical order) < --var-file < --param
    assert cidr == {
        "default": "10.0.0.0/8",
        "tfvars": "2.2.2.2/32",
        "auto": "3.3.3.3/32",
        "var_file": "4.4.4.4/32",
        "param": "5.5.5.5/32",
    }
    assert (
        rule_at(doc, "alicloud_security_group_rule.default")[0]["port_range"] == "2222/2222"
    )  # map from tfvars
    assert rule_at(doc, "alicloud_security_group_rule.tfvars")[0]["port_range"] == "443/443"
    assert rule_at(doc, "alicloud_security_group_rule.param")[0]["priority"] == 7  # "7" parsed for a number
    unset = rule_at(doc, "alicloud_security_group_rule.unset")[0]
    assert unset["peer"]["kind"] == "unknown" and unset["provenance"]["peer"] == "unknown"


def test_without_options_tfvars_still_apply() -> None:
    doc, errors = run(CASES_DIR / "variables", AdapterOptions())
    assert errors == []
    assert peer_cidr(rule_at(doc, "alicloud_security_group_rule.var_file")[0]) == "3.3.3.3/32"
    assert peer_cidr(rule_at(doc, "alicloud_security_group_rule.param")[0]) == "1.1.1.1/32"


def test_param_string_value_is_not_parsed_for_string_variables() -> None:
    doc, _ = run(
        CASES_DIR / "variables", AdapterOptions(params={"from_param": "true", "unset": "8.8.8.8/32"})
    )
    param = rule_at(doc, "alicloud_security_group_rule.param")[0]
    assert param["peer"]["kind"] == "invalid" and param["raw"]["peer"] == "true"
    assert peer_cidr(rule_at(doc, "alicloud_security_group_rule.unset")[0]) == "8.8.8.8/32"


def test_count_and_for_each_addresses_and_attachment() -> None:
    doc = case("count_for_each")
    sg0 = sg_keyed(doc, key("count_for_each", "alicloud_security_group.sg[0]"))
    sg1 = sg_keyed(doc, key("count_for_each", "alicloud_security_group.sg[1]"))
    assert [r["address"] for r in sg0["rules"]] == [
        f"alicloud_security_group_rule.admin[{i}]" for i in (0, 1)
    ]
    assert [r["address"] for r in sg1["rules"]] == [
        f"alicloud_security_group_rule.admin[{i}]" for i in (2, 3)
    ]
    assert [peer_cidr(r) for r in sg1["rules"]] == ["203.0.113.0/24", "198.51.100.0/24"]
    web = sg_named(doc, "named-web")
    assert web["address"] == 'alicloud_security_group.named["web"]'
    (rule,) = web["rules"]
    assert rule["address"] == 'alicloud_security_group_rule.per_named["web"]'
    assert rule["description"] == "egress of web"
    all_rules = [r["address"] for sg in doc["security_groups"] for r in sg["rules"]]
    assert not any(".none" in a for a in all_rules)  # count = 0


def test_local_modules_inputs_outputs_and_remote() -> None:
    doc = case("local_modules")
    assert doc["inputs"] == [
        {"file": "fixtures/adapters/terraform_hcl/local_modules", "kind": "terraform_hcl"}
    ]
    app = sg_named(doc, "app-sg")
    assert app["key"] == key("local_modules", "module.sg.alicloud_security_group.this")
    assert app["loc"]["file"] == "fixtures/adapters/terraform_hcl/local_modules/modules/sg/main.tf"
    assert [r["address"] for r in app["rules"]] == [
        "module.rules[0].alicloud_security_group_rule.app",
        "module.rules[0].alicloud_security_group_rule.from_nested",
    ]
    team_b = sg_named(doc, "team-b-sg")
    assert team_b["address"] == 'module.extra_sgs["b"].alicloud_security_group.this'
    assert [r["port_range"] for r in team_b["rules"]] == ["8081/8081", "-1/-1"]
    assert sg_named(doc, "team-a-sg")["rules"] == []
    nested = rule_at(doc, "module.rules[1].alicloud_security_group_rule.from_nested")[0]
    assert nested["peer"]["sg"] == key(
        "local_modules", "module.rules[1].module.nested.alicloud_security_group.this"
    )
    assert sg_named(doc, "nested-8081-sg")["origin"] == "declared"
    remote_rule, remote_sg = rule_at(doc, "alicloud_security_group_rule.on_remote")
    assert remote_sg["key"] == key("local_modules", "unresolved-sg:alicloud_security_group_rule.on_remote")
    assert (remote_sg["origin"], remote_sg["id"], remote_sg["provenance"]["id"]) == (
        "referenced",
        None,
        "unknown",
    )


def test_a_module_given_alone_is_a_root_with_unknown_inputs() -> None:
    module_dir = Path("fixtures/adapters/terraform_hcl/local_modules/modules/sg")
    parts, errors = terraform_hcl.load([module_dir], AdapterOptions())
    assert errors == [] and len(parts) == 1
    (sg,) = parts[0]["security_groups"]
    assert sg["name"] is None and sg["provenance"]["name"] == "unknown"


def test_sg_references() -> None:
    doc = case("sg_references")
    rule, sg = rule_at(doc, "alicloud_security_group_rule.on_literal")
    assert (sg["key"], sg["id"], sg["origin"]) == ("sg-bp1shared000000001",) * 2 + ("referenced",)
    _, placeholder = rule_at(doc, "alicloud_security_group_rule.on_data")
    assert placeholder["key"] == key("sg_references", "unresolved-sg:alicloud_security_group_rule.on_data")
    egress, owner = rule_at(doc, "alicloud_security_group_rule.egress_to_shared")
    assert owner["name"] == "app"
    assert (egress["direction"], egress["peer"]["kind"], egress["peer"]["sg"]) == (
        "egress",
        "sg",
        "sg-bp1shared000000001",
    )
    ipv6 = rule_at(doc, "alicloud_security_group_rule.ipv6")[0]
    assert ipv6["peer"]["cidr"]["family"] == 6
    prefix = rule_at(doc, "alicloud_security_group_rule.prefix_list")[0]
    assert prefix["peer"] == {
        "kind": "prefix_list",
        "cidr": None,
        "sg": None,
        "sg_type": None,
        "prefix_list": "pl-bp1example0000001",
    }


def test_clusters_kinds_plugins_and_pools() -> None:
    doc = case("clusters")
    dedicated = cluster_named(doc, "dedicated")
    assert (dedicated["kind"], dedicated["network_plugin"], dedicated["security_group"]) == (
        "dedicated",
        "terway",
        "sg-bp1dedicated000001",
    )
    assert [v["cidr"]["cidr"] for v in dedicated["node_vswitches"]] == [
        "10.0.0.0/24",
        "10.0.1.0/24",
        "10.0.2.0/24",
    ]
    assert dedicated["vpc"]["cidr"]["cidr"] == "10.0.0.0/16" and dedicated["api_server_address"] is None
    (legacy,) = dedicated["node_pools"]
    assert legacy["security_groups"] == [sg_named(doc, "pool")["key"]]

    terway = cluster_named(doc, "inferred-terway")
    assert terway["network_plugin"] == "terway" and terway["is_enterprise_security_group"] is True
    assert terway["security_group"].endswith("#ack-created-sg")
    assert sg_keyed(doc, terway["security_group"])["origin"] == "ack_created"
    assert terway["node_vswitches"] == [{"id": "vsw-bp1literal00000001", "cidr": None}]
    assert terway["provenance"]["node_vswitches[0].cidr"] == "unknown"
    assert terway["node_pools"][0]["security_groups"] == [terway["security_group"]]

    assert cluster_named(doc, "inferred-flannel")["network_plugin"] == "flannel"
    no_plugin = cluster_named(doc, "no-plugin")
    assert no_plugin["network_plugin"] == "unknown" and no_plugin["provenance"]["network_plugin"] == "unknown"

    external = next(c for c in doc["clusters"] if c["kind"] == "unknown")
    assert external["cluster_id"] == "c0123456789abcdef0123456789abcdef"
    assert external["security_group"] is None and external["provenance"]["security_group"] == "unknown"
    assert external["node_pools"][0]["security_groups"] == ["sg-bp1external0000001"]


def test_deprecated_arguments_and_defaults() -> None:
    doc = case("deprecated_args")
    old = sg_named(doc, "old-style")
    assert (old["type"], old["inner_access_policy"], old["provenance"]["type"]) == (
        "basic",
        "drop",
        "default",
    )
    enterprise = sg_named(doc, "new-style")
    assert (enterprise["type"], enterprise["inner_access_policy"]) == ("advanced", "drop")
    defaults = rule_at(doc, "alicloud_security_group_rule.defaults")[0]
    assert (defaults["port_range"], defaults["action"], defaults["priority"], defaults["nic_type"]) == (
        "-1/-1",
        "accept",
        1,
        "intranet",
    )
    assert {defaults["provenance"][f] for f in ("port_range", "action", "priority", "nic_type")} == {
        "default"
    }
    explicit = rule_at(doc, "alicloud_security_group_rule.explicit")[0]
    assert (explicit["protocol"], explicit["action"], explicit["priority"], explicit["description"]) == (
        "tcp",
        "drop",
        100,
        "explicit values",
    )
    assert explicit["provenance"]["priority"] == "given"


def test_inline_skips_inside_resources_only() -> None:
    doc = case("skips")
    sg = sg_named(doc, "skips")
    assert sg["skips"] == [{"rule_id": "CKV_ACK_12", "reason": "rules are managed elsewhere", "line": 2}]
    kubelet = rule_at(doc, "alicloud_security_group_rule.kubelet")[0]
    assert kubelet["skips"] == [
        {"rule_id": "CKV_ACK_5", "reason": "kubelet is behind a firewall", "line": 7},
        {"rule_id": "CKV_ACK_8", "reason": None, "line": 8},
    ]
    assert kubelet["loc"]["line"] == 6
    assert rule_at(doc, "alicloud_security_group_rule.open")[0]["skips"] == []


def test_vpc_secondary_cidrs() -> None:
    doc = case("vpc_secondary")
    legacy, modern, existing = (cluster_named(doc, n) for n in ("legacy-vpc", "modern-vpc", "existing-vpc"))
    assert [c["cidr"] for c in legacy["vpc"]["secondary_cidrs"]] == ["10.1.0.0/16"]
    assert [c["cidr"] for c in modern["vpc"]["secondary_cidrs"]] == ["172.16.0.0/16"]
    assert modern["vpc"]["cidr"]["cidr"] == "192.168.0.0/16"
    assert existing["vpc"]["id"] == "vpc-bp1existing000001"
    assert existing["vpc"]["cidr"] is None and existing["provenance"]["vpc.cidr"] == "unknown"
    assert existing["provenance"]["vpc.secondary_cidrs"] == "unknown"


def test_unknowns_are_explicit() -> None:
    doc = case("unknowns")
    (sg,) = doc["security_groups"]
    assert sg["name"] is None and sg["provenance"]["name"] == "unknown"  # data source in the name
    assert sg["provenance"]["vpc_id"] == "unknown"  # undeclared resource
    func = rule_at(doc, "alicloud_security_group_rule.unknown_function")[0]
    assert func["port_range"] is None and func["provenance"]["port_range"] == "unknown"
    computed = rule_at(doc, "alicloud_security_group_rule.computed_attribute")[0]
    assert computed["peer"]["kind"] == "unknown"
    counted, owner = rule_at(doc, "alicloud_security_group_rule.unknown_count[?]")
    assert owner["key"] == sg["key"] and counted["port_range"] == "80/80"
    peer_sg = rule_at(doc, "alicloud_security_group_rule.unknown_peer_sg")[0]
    assert peer_sg["peer"]["kind"] == "unknown"
    cycle = rule_at(doc, "alicloud_security_group_rule.cycle")[0]
    assert cycle["provenance"]["port_range"] == "unknown"


def test_expressions_case() -> None:
    doc = case("expressions")
    sg = sg_named(doc, "sg-pr0d-3-007")
    assert sg["inner_access_policy"] == "drop"
    computed = [r for r in sg["rules"] if ".computed[" in r["address"]]
    assert [(r["port_range"], peer_cidr(r), r["priority"], r["action"]) for r in computed] == [
        ("443/443", "10.1.0.0/16", 4, "accept"),
        ("443/443", "192.168.0.0/16", 5, "accept"),
        ("8443/8443", "10.1.0.0/16", 4, "accept"),
        ("8443/8443", "192.168.0.0/16", 5, "accept"),
    ]
    assert json.loads(computed[2]["description"]) == {"name": "tcp-8443"}
    fallback = rule_at(doc, "alicloud_security_group_rule.fallback")[0]
    assert (fallback["port_range"], peer_cidr(fallback)) == ("9000/9000", "0.0.0.0/0")
    assert rule_at(doc, "alicloud_security_group_rule.heredoc")[0]["description"] == "egress for prod\n"


def test_dynamic_addons_and_non_nullable_inputs() -> None:
    doc = case("dynamic_blocks")
    cluster = cluster_named(doc, "dynamic")
    assert cluster["address"] == "module.cluster.alicloud_cs_managed_kubernetes.this"
    assert cluster["network_plugin"] == "terway"  # flannel is listed but disabled
    assert cluster["service_cidr"]["cidr"] == "172.21.0.0/20"  # null input, nullable = false
    unknown = cluster_named(doc, "unknown-addons")
    assert unknown["network_plugin"] == "unknown" and unknown["provenance"]["network_plugin"] == "unknown"
    assert unknown["provenance"]["node_vswitches"] == "unknown"


def test_modules_outside_the_given_directories_keep_relative_locations() -> None:
    parts, errors = terraform_hcl.load(
        [Path("fixtures/adapters/terraform_hcl/local_modules")], AdapterOptions()
    )
    assert errors == []
    files = {sg["loc"]["file"] for part in parts for sg in part["security_groups"]}
    assert files == {
        "fixtures/adapters/terraform_hcl/local_modules/modules/sg/main.tf",
        "fixtures/adapters/terraform_hcl/local_modules/main.tf",
    }


def test_param_values_are_text_unless_literals(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "ports" {}\nvariable "cidrs" {}\nvariable "n" {}\n'
        'resource "alicloud_security_group" "sg" {}\n'
        'resource "alicloud_security_group_rule" "r" {\n'
        "  count             = var.n\n"
        '  type              = "ingress"\n'
        '  ip_protocol       = "tcp"\n'
        "  port_range        = var.ports\n"
        "  cidr_ip           = var.cidrs[count.index]\n"
        "  security_group_id = alicloud_security_group.sg.id\n"
        "}\n"
    )
    params = {"ports": "22/22", "cidrs": '["10.0.0.0/8", "192.168.0.0/16"]', "n": "2"}
    parts, errors = terraform_hcl.load([tmp_path], AdapterOptions(params=params))
    assert errors == []
    rules = parts[0]["security_groups"][0]["rules"]
    assert [(r["port_range"], peer_cidr(r)) for r in rules] == [
        ("22/22", "10.0.0.0/8"),
        ("22/22", "192.168.0.0/16"),
    ]
