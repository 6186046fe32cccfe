"""Terraform plan JSON adapter: golden documents per feature, targeted facts, corpus, bad input.

Golden files: fixtures/adapters/terraform_plan/<case>/expected.json, rewritten only with
UPDATE_GOLDEN=1. Paths are given relative to the repository root (as a user would) so that keys
and locations are the same on every machine.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from checkov_ack.adapters import load_paths, terraform_plan
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from helpers import CORPUS, FIXTURES, ROOT

CASES_DIR = FIXTURES / "adapters" / "terraform_plan"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "plan.json").is_file())
CORPUS_PLANS = sorted((CORPUS / "plan").rglob("*.json"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _rel(path: Path) -> Path:
    return path.relative_to(ROOT)


def load(*paths: Path) -> tuple[list[dict[str, Any]], list[InputError]]:
    return terraform_plan.load(list(paths), AdapterOptions())


def document(*paths: Path) -> dict[str, Any]:
    parts, errors = load(*paths)
    assert errors == [], [str(e) for e in errors]
    doc = assemble(parts, Settings())
    assert schema_errors(doc) == []
    return doc


def case_doc(case: str) -> dict[str, Any]:
    return document(_rel(CASES_DIR / case / "plan.json"))


def sgs_by_address(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {sg["address"]: sg for sg in doc["security_groups"]}


def rules_by_address(doc: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """rule address -> (rule, the SG it sits under)"""
    return {r["address"]: (r, sg) for sg in doc["security_groups"] for r in sg["rules"]}


def clusters_by_name(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"] or c["address"]: c for c in doc["clusters"]}


# ---------------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("case", CASES)
def test_golden_document(case: str) -> None:
    doc = case_doc(case)
    expected_path = CASES_DIR / case / "expected.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert expected_path.is_file(), f"no golden file; run with UPDATE_GOLDEN=1 to create {expected_path}"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert schema_errors(expected) == []
    assert doc == expected


def test_every_case_has_a_golden_file() -> None:
    assert {"module_refs", "changes", "unknowns", "no_alicloud"} <= set(CASES)
    assert [c for c in CASES if not (CASES_DIR / c / "expected.json").is_file()] == []


# ---------------------------------------------------------------------------------- modules


def test_child_module_rules_tie_to_root_sg_through_module_call_argument() -> None:
    rules = rules_by_address(case_doc("module_refs"))
    for i, port in ((0, "80/80"), (1, "443/443")):
        rule, sg = rules[f"module.rules[{i}].alicloud_security_group_rule.web"]
        assert sg["address"] == "alicloud_security_group.shared"
        assert rule["port_range"] == port
    # the key names the plan file as given and the SG's absolute address (its ID is unknown)
    assert (
        sg["key"]
        == "plan:fixtures/adapters/terraform_plan/module_refs/plan.json:alicloud_security_group.shared"
    )
    assert sg["id"] is None and sg["provenance"]["id"] == "unknown"


def test_count_index_reference_picks_the_same_instance() -> None:
    rules = rules_by_address(case_doc("module_refs"))
    for i in (0, 1):
        _, sg = rules[f"alicloud_security_group_rule.extra_ssh[{i}]"]
        assert sg["address"] == f"alicloud_security_group.extra[{i}]"
        assert sg["name"] == f"extra-{i}"


def test_for_each_in_nested_module_with_literal_and_each_key_indexes() -> None:
    doc = case_doc("module_refs")
    rules = rules_by_address(doc)
    prefix = "module.net.module.sg."
    for key in ("web", "db"):
        _, sg = rules[f'{prefix}alicloud_security_group_rule.egress["{key}"]']
        assert sg["address"] == f'{prefix}alicloud_security_group.this["{key}"]'
    rule, sg = rules[f"{prefix}alicloud_security_group_rule.db_from_web"]
    assert sg["name"] == "db-sg"
    assert rule["peer"]["kind"] == "sg"
    assert sgs_by_address(doc)[f'{prefix}alicloud_security_group.this["web"]']["key"] == rule["peer"]["sg"]
    assert rule["peer"]["sg_type"] == "basic"


def test_cluster_sg_through_nested_module_outputs_and_pool_sg_list() -> None:
    cluster = clusters_by_name(case_doc("module_refs"))["modules-cluster"]
    assert cluster["security_group"].endswith('module.net.module.sg.alicloud_security_group.this["web"]')
    assert cluster["provenance"]["security_group"] == "given"
    (pool,) = cluster["node_pools"]
    assert [s.rsplit(":", 1)[1] for s in pool["security_groups"]] == ["alicloud_security_group.shared"]
    assert len(cluster["sg_set"]) == 2


def test_both_source_and_resolved_source_module_calls_are_read() -> None:
    plan = json.loads((CASES_DIR / "module_refs" / "plan.json").read_text())
    calls = plan["configuration"]["root_module"]["module_calls"]
    assert "source" in calls["net"] and "resolved_source" in calls["net"]["module"]["module_calls"]["sg"]
    # ...and the SG inside the resolved_source module still resolved (previous test); its rule too:
    rules = rules_by_address(case_doc("module_refs"))
    assert rules["module.net.module.sg.alicloud_security_group_rule.db_from_web"][1]["name"] == "db-sg"


def test_materialized_schema_defaults_are_provenance_default_unless_configured() -> None:
    rules = rules_by_address(case_doc("module_refs"))
    egress, _ = rules['module.net.module.sg.alicloud_security_group_rule.egress["web"]']
    assert egress["port_range"] == "-1/-1" and egress["provenance"]["port_range"] == "default"
    assert egress["priority"] == 1 and egress["provenance"]["priority"] == "default"
    assert egress["action"] == "accept" and egress["provenance"]["action"] == "default"
    ssh, _ = rules["alicloud_security_group_rule.extra_ssh[0]"]
    assert ssh["priority"] == 10 and ssh["provenance"]["priority"] == "given"
    assert ssh["provenance"]["port_range"] == "given"


def test_locations_point_at_the_resource_address_line() -> None:
    path = CASES_DIR / "module_refs" / "plan.json"
    lines = path.read_text().splitlines()
    doc = case_doc("module_refs")
    items = [
        *doc["security_groups"],
        *(r for sg in doc["security_groups"] for r in sg["rules"]),
        *doc["clusters"],
    ]
    for item in items:
        line = item["loc"]["line"]
        assert item["loc"]["file"] == "fixtures/adapters/terraform_plan/module_refs/plan.json"
        assert line is not None
        assert json.dumps(item["address"]) in lines[line - 1], item["address"]


# ---------------------------------------------------------------------------------- changes


def test_deleted_sg_exists_only_in_before_and_stays_attached() -> None:
    doc = case_doc("changes")
    sg = sgs_by_address(doc)["alicloud_security_group.legacy"]
    assert sg["change"] == "delete"
    assert sg["key"] == sg["id"] == "sg-bp1legacy000000001"
    assert sg["name"] == "legacy-sg" and sg["origin"] == "declared"
    cluster = clusters_by_name(doc)["legacy-cluster"]
    assert cluster["change"] == "no-op"
    assert cluster["security_group"] == sg["key"]  # CKV_ACK_11 needs exactly this link
    rule, under = rules_by_address(doc)["alicloud_security_group_rule.legacy_ssh"]
    assert rule["change"] == "delete" and under is sg


def test_replaced_sg_keeps_its_links_by_reference_and_by_old_id() -> None:
    doc = case_doc("changes")
    sg = sgs_by_address(doc)["alicloud_security_group.main"]
    assert sg["change"] == "replace"
    assert sg["type"] == "advanced" and sg["id"] is None  # the new SG's ID is not known yet
    rule, under = rules_by_address(doc)["alicloud_security_group_rule.main_https"]
    assert under is sg and rule["change"] == "replace"
    cluster = clusters_by_name(doc)["main-cluster"]
    assert cluster["change"] == "update" and cluster["security_group"] == sg["key"]
    (pool,) = cluster["node_pools"]
    assert pool["change"] == "no-op" and pool["security_groups"] == [sg["key"]]


def test_update_and_no_op_actions_and_data_sources_ignored() -> None:
    doc = case_doc("changes")
    rule, sg = rules_by_address(doc)["alicloud_security_group_rule.keep_icmp"]
    assert rule["change"] == "update" and rule["description"] == "ping from the VPC"
    assert sg["change"] == "no-op" and sg["key"] == "sg-bp1keep0000000001"
    assert not any("alicloud_zones" in sg["address"] for sg in doc["security_groups"])


def test_known_vpc_from_state_gives_cidrs() -> None:
    cluster = clusters_by_name(case_doc("changes"))["legacy-cluster"]
    assert cluster["vpc"]["id"] == "vpc-bp1chg00000000001"
    assert cluster["vpc"]["cidr"]["cidr"] == "10.0.0.0/8"
    assert [c["cidr"] for c in cluster["vpc"]["secondary_cidrs"]] == ["100.64.0.0/16"]
    assert [v["cidr"]["cidr"] for v in cluster["node_vswitches"]] == ["10.1.0.0/16"]
    # an existing cluster's intranet API server endpoint is in its `connections`
    assert cluster["api_server_address"]["cidr"] == "10.1.0.5/32"
    created = clusters_by_name(case_doc("unknowns"))["unk-dedicated"]
    assert created["api_server_address"] is None
    assert created["provenance"]["api_server_address"] == "unknown"


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        (["create"], "create"),
        (["update"], "update"),
        (["delete"], "delete"),
        (["no-op"], "no-op"),
        (["read"], "read"),
        (["delete", "create"], "replace"),
        (["create", "delete"], "replace"),
        (["forget"], None),
        ("create", None),
    ],
)
def test_action_mapping(actions: Any, expected: str | None) -> None:
    assert terraform_plan._action(actions) == expected


# ---------------------------------------------------------------------------------- unknowns


def test_unknown_leaves_configured_by_expression_stay_unknown() -> None:
    doc = case_doc("unknowns")
    sg = sgs_by_address(doc)["alicloud_security_group.computed"]
    assert sg["type"] is None and sg["provenance"]["type"] == "unknown"
    assert sg["inner_access_policy"] is None and sg["provenance"]["inner_access_policy"] == "unknown"
    rule, _ = rules_by_address(doc)["alicloud_security_group_rule.from_peer_vpc"]
    assert rule["peer"]["kind"] == "unknown" and rule["provenance"]["peer"] == "unknown"


def test_computed_attributes_left_to_the_provider_take_api_defaults() -> None:
    doc = case_doc("unknowns")
    sg = sgs_by_address(doc)["alicloud_security_group.plain"]
    assert (sg["type"], sg["provenance"]["type"]) == ("basic", "default")
    assert (sg["inner_access_policy"], sg["provenance"]["inner_access_policy"]) == ("accept", "default")
    rule, _ = rules_by_address(doc)["alicloud_security_group_rule.icmp"]
    assert (rule["nic_type"], rule["provenance"]["nic_type"]) == ("intranet", "default")


def test_cluster_without_sg_gets_ack_created_one_and_pool_inherits_it() -> None:
    doc = case_doc("unknowns")
    cluster = clusters_by_name(doc)["unk-dedicated"]
    assert cluster["kind"] == "dedicated" and cluster["network_plugin"] == "terway"
    assert cluster["is_enterprise_security_group"] is True
    sg = sgs_by_address(doc)[f"{cluster['address']} (ACK-created SG)"]
    assert sg["origin"] == "ack_created" and cluster["security_group"] == sg["key"]
    (pool,) = cluster["node_pools"]
    assert pool["security_groups"] == [sg["key"]] and pool["provenance"]["security_groups"] == "default"
    # masters and workers are both node vSwitches, the repeated master listed once
    assert sorted(v["cidr"]["cidr"] for v in cluster["node_vswitches"]) == [
        "192.168.0.0/24",
        "192.168.1.0/24",
    ]
    assert [c["cidr"] for c in cluster["vpc"]["secondary_cidrs"]] == ["100.64.0.0/16"]


def test_cluster_sg_from_data_source_is_unknown_not_ack_created() -> None:
    doc = case_doc("unknowns")
    cluster = clusters_by_name(doc)["unk-managed"]
    assert cluster["security_group"] is None and cluster["provenance"]["security_group"] == "unknown"
    assert cluster["sg_set"] == []
    assert cluster["network_plugin"] == "unknown"


def test_rules_on_sgs_outside_the_plan_are_kept() -> None:
    rules = rules_by_address(case_doc("unknowns"))
    _, literal = rules["alicloud_security_group_rule.on_literal_sg"]
    assert literal["key"] == "sg-bp1literal00000001" and literal["origin"] == "referenced"
    assert literal["rules_known"] is False
    _, unknown_sg = rules["alicloud_security_group_rule.on_data_sg"]
    assert unknown_sg["origin"] == "referenced" and unknown_sg["provenance"]["id"] == "unknown"


def test_pool_of_cluster_outside_the_plan_is_kept_under_an_unknown_cluster() -> None:
    doc = case_doc("unknowns")
    (cluster,) = [c for c in doc["clusters"] if c["cluster_id"] == "c0elsewhere0000000000000000000001"]
    assert cluster["kind"] == "unknown" and cluster["provenance"]["security_group"] == "unknown"
    (pool,) = cluster["node_pools"]
    assert pool["name"] == "elsewhere-pool" and pool["security_groups"] == ["sg-bp1literal00000001"]
    assert pool["provenance"]["vswitches"] == "unknown"


def test_plan_without_alicloud_resources_is_an_empty_part() -> None:
    parts, errors = load(_rel(CASES_DIR / "no_alicloud" / "plan.json"))
    assert errors == []
    assert parts == [
        {
            "inputs": [
                {"file": "fixtures/adapters/terraform_plan/no_alicloud/plan.json", "kind": "terraform_plan"}
            ],
            "clusters": [],
            "security_groups": [],
        }
    ]


def test_without_configuration_unknowns_stay_unknown(tmp_path: Path) -> None:
    plan = json.loads((CASES_DIR / "unknowns" / "plan.json").read_text())
    del plan["configuration"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    doc = document(path)
    sg = sgs_by_address(doc)["alicloud_security_group.plain"]
    assert sg["provenance"]["type"] == "unknown"
    # nothing ties the rules to their SG any more: still kept, under SGs of unknown identity
    assert all(r["peer"]["kind"] != "none" for s in doc["security_groups"] for r in s["rules"])
    assert clusters_by_name(doc)["unk-dedicated"]["provenance"]["security_group"] == "unknown"


# ---------------------------------------------------------------------------------- scenarios


SCENARIOS = FIXTURES / "scenarios"


@pytest.mark.parametrize("scenario", ["basic-flannel", "advanced-terway", "existing-sg-nodepools"])
def test_scenario_plan_is_a_realistic_plan(scenario: str) -> None:
    path = SCENARIOS / scenario / "terraform_plan" / "plan.json"
    plan = json.loads(path.read_text())
    assert plan["format_version"] == "1.2"
    assert {"configuration", "resource_changes", "planned_values"} <= set(plan)
    assert terraform_plan.sniff(path, path.read_text())
    doc = document(_rel(path))
    # every declared SG's ID is unknown until apply, and rules still sit under it
    declared = [sg for sg in doc["security_groups"] if sg["origin"] == "declared"]
    assert declared and all(sg["id"] is None and sg["rules"] for sg in declared)


def test_scenario_basic_flannel_facts() -> None:
    doc = document(_rel(SCENARIOS / "basic-flannel" / "terraform_plan" / "plan.json"))
    (sg,) = doc["security_groups"]
    assert (sg["name"], sg["type"], sg["inner_access_policy"]) == ("ack-basic-sg", "basic", "accept")
    self_rule = [r for r in sg["rules"] if r["peer"]["kind"] == "sg"]
    assert [r["peer"]["sg"] for r in self_rule] == [sg["key"]]
    drop = [r for r in sg["rules"] if r["action"] == "drop"]
    assert [(r["protocol"], r["port_from"], r["port_to"]) for r in drop] == [("tcp", 22, 22)]
    (cluster,) = doc["clusters"]
    assert (cluster["name"], cluster["network_plugin"], cluster["security_group"]) == (
        "ack-flannel",
        "flannel",
        sg["key"],
    )
    assert (
        cluster["pod_cidr"]["cidr"] == "172.20.0.0/16" and cluster["vpc"]["cidr"]["cidr"] == "192.168.0.0/16"
    )


def test_scenario_existing_sg_facts() -> None:
    doc = document(_rel(SCENARIOS / "existing-sg-nodepools" / "terraform_plan" / "plan.json"))
    sgs = {sg["name"] or sg["key"]: sg for sg in doc["security_groups"]}
    assert sgs["sg-bp1existing0000001"]["origin"] == "referenced"
    assert sorted(r["priority"] for r in sgs["ack-pool-sg"]["rules"]) == [1, 1, 10, 100]
    (cluster,) = doc["clusters"]
    assert cluster["security_group"] == "sg-bp1existing0000001"
    (pool,) = cluster["node_pools"]
    assert pool["security_groups"] == [sgs["ack-pool-sg"]["key"], "sg-bp1existing0000001"]
    assert sgs["ack-pool-sg"]["vpc_id"] == "vpc-bp1k3ackexisting01"


# ---------------------------------------------------------------------------------- corpus


def test_corpus_has_plans() -> None:
    assert len(CORPUS_PLANS) == 2, CORPUS_PLANS


@pytest.mark.parametrize("path", CORPUS_PLANS, ids=lambda p: p.parent.name)
def test_corpus_plan_normalizes_to_what_it_says(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert terraform_plan.sniff(path, text)
    plan = json.loads(text)
    doc = document(path)
    # What the file says: its alicloud_security_group resources, being created, IDs unknown.
    declared = [
        rc
        for rc in plan["resource_changes"]
        if rc["type"] == "alicloud_security_group" and rc["mode"] == "managed"
    ]
    assert len(declared) == 1
    (rc,) = declared
    (sg,) = doc["security_groups"]
    assert sg["address"] == rc["address"]
    assert sg["name"] == rc["change"]["after"]["name"] == "terraform-example"
    assert sg["change"] == "create" and rc["change"]["actions"] == ["create"]
    assert rc["change"]["after_unknown"]["id"] is True and sg["id"] is None
    assert sg["provenance"]["id"] == "unknown" and sg["provenance"]["vpc_id"] == "unknown"
    # security_group_type is unknown in the plan and not configured: the API default applies
    assert rc["change"]["after_unknown"]["security_group_type"] is True
    assert (sg["type"], sg["provenance"]["type"]) == ("basic", "default")
    # no rules, clusters or node pools in these plans
    assert not any(r["type"] == "alicloud_security_group_rule" for r in plan["resource_changes"])
    assert sg["rules"] == [] and doc["clusters"] == []
    assert sg["loc"]["line"] is not None
    assert json.dumps(rc["address"]) in text.splitlines()[sg["loc"]["line"] - 1]


# ---------------------------------------------------------------------------------- sniffing


def test_sniff_claims_plans_only() -> None:
    plan_text = (CASES_DIR / "changes" / "plan.json").read_text()
    assert terraform_plan.sniff(Path("p.json"), plan_text)
    compact = json.dumps(json.loads(plan_text), separators=(",", ":"))
    assert terraform_plan.sniff(Path("p.json"), compact)
    ros = {
        "ROSTemplateFormatVersion": "2015-09-01",
        "Resources": {"Sg": {"Type": "ALIYUN::ECS::SecurityGroup"}},
    }
    assert not terraform_plan.sniff(Path("t.json"), json.dumps(ros))
    api = {"RequestId": "X", "SecurityGroupId": "sg-1", "Permissions": {"Permission": []}}
    assert not terraform_plan.sniff(Path("a.json"), json.dumps(api))
    state = {"format_version": "1.0", "terraform_version": "1.8.4", "values": {"root_module": {}}}
    assert not terraform_plan.sniff(Path("s.json"), json.dumps(state))
    assert not terraform_plan.sniff(Path("l.json"), '[{"format_version": "1.2", "planned_values": {}}]')
    assert not terraform_plan.sniff(Path("y.yaml"), "format_version: 1.2\nplanned_values: {}\n")
    # a large variables block before the plan sections
    big = {"format_version": "1.2", "variables": {"v": {"value": "x" * 100_000}}, "resource_changes": []}
    assert terraform_plan.sniff(Path("big.json"), json.dumps(big))


def test_load_paths_detects_plan_files_in_a_directory() -> None:
    result = load_paths([_rel(CASES_DIR / "changes")], AdapterOptions())
    assert result.errors == []
    assert [p["inputs"] for p in result.parts] == [
        [{"file": "fixtures/adapters/terraform_plan/changes/plan.json", "kind": "terraform_plan"}]
    ]


# ---------------------------------------------------------------------------------- bad input


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ('{\n "format_version": "1.2",\n "planned_values": {,\n}', "invalid JSON", 3),
        ('[{"format_version": "1.2"}]', "top level must be a JSON object", None),
        ('{"planned_values": {}}', "no format_version", None),
        ('{"format_version": "2.0", "planned_values": {}}', "unsupported plan format_version '2.0'", None),
        ('{"format_version": "1.2", "variables": {}}', "no planned_values", None),
        ('{"format_version": "1.2", "planned_values": []}', "planned_values must be a JSON object", None),
        (
            '{"format_version": "1.2", "planned_values": {"root_module": {"resources": {}}}}',
            "resources must be a JSON array",
            None,
        ),
        (
            '{"format_version": "1.2", "resource_changes": [42]}',
            "resource_changes[0] must be a JSON object",
            None,
        ),
        (
            '{"format_version": "1.2", "resource_changes": [{"type": "x"}]}',
            "resource_changes[0] has no address",
            None,
        ),
        (
            '{"format_version": "1.2",\n "resource_changes": [{"address": "alicloud_security_group.a",'
            ' "type": "alicloud_security_group", "change": []}]}',
            "change of alicloud_security_group.a must be a JSON object",
            2,
        ),
        ('{"format_version": "1.2", "configuration": {"root_module": []}}', "must be a JSON object", None),
    ],
)
def test_bad_plans_are_errors_with_file_and_line(
    tmp_path: Path, content: str, message: str, line: int | None
) -> None:
    path = _write(tmp_path, "bad.json", content)
    parts, errors = load(path)
    assert parts == []
    (error,) = errors
    assert isinstance(error, InputError)
    assert error.file == str(path)
    assert message in error.message
    assert error.line == line


def test_binary_and_non_utf8_files_are_errors(tmp_path: Path) -> None:
    parts, errors = load(
        _write(tmp_path, "a.json", b"\x00\x01"), _write(tmp_path, "b.json", b'{"x": "\xff"}')
    )
    assert parts == []
    assert [e.message for e in errors] == ["binary file (NUL bytes), not a text input", "not valid UTF-8"]


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.json", '{"format_version": "1.2", "planned_values": ')
    good = _rel(CASES_DIR / "changes" / "plan.json")
    parts, errors = load(bad, good)
    assert [e.file for e in errors] == [str(bad)]
    assert [p["inputs"][0]["file"] for p in parts] == [str(good)]
    assert parts[0]["security_groups"]


def test_deep_nesting_fails_cleanly(tmp_path: Path) -> None:
    deep = '{"format_version": "1.2", "planned_values": ' + "[" * 5000 + "]" * 5000 + "}"
    parts, errors = load(_write(tmp_path, "deep.json", deep))
    assert parts == [] and len(errors) == 1 and "nested deeper" in errors[0].message
