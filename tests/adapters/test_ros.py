"""ROS template adapter: golden documents per feature, scenarios, lines, skips, sniffing, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from checkov_ack.adapters import load_paths, ros
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from helpers import FIXTURES, ROOT

CASES = FIXTURES / "adapters" / "ros"
SCENARIOS = FIXTURES / "scenarios"


def _template(case_dir: Path) -> Path:
    (found,) = [p for p in sorted(case_dir.iterdir()) if p.name.startswith("template.")]
    return found


def _document(path: Path, params: dict[str, str] | None = None) -> dict[str, Any]:
    parts, errors = ros.load([path], AdapterOptions(params=params or {}))
    assert errors == []
    doc = assemble(parts, Settings())
    assert schema_errors(doc) == []
    return doc


def _load_text(
    tmp_path: Path, text: str, name: str = "t.yaml", **params: str
) -> tuple[list[Any], list[InputError]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ros.load([path], AdapterOptions(params=dict(params)))


def _one_error(tmp_path: Path, text: str, name: str = "t.yaml") -> InputError:
    parts, errors = _load_text(tmp_path, text, name)
    assert parts == [] and len(errors) == 1
    assert errors[0].file == str(tmp_path / name)
    return errors[0]


def _sg(doc: dict[str, Any], address: str) -> dict[str, Any]:
    (found,) = [sg for sg in doc["security_groups"] if sg["address"] == address]
    return found


def _rule(doc: dict[str, Any], address: str) -> dict[str, Any]:
    (found,) = [r for sg in doc["security_groups"] for r in sg["rules"] if r["address"] == address]
    return found


def _cluster(doc: dict[str, Any], address: str) -> dict[str, Any]:
    (found,) = [c for c in doc["clusters"] if c["address"] == address]
    return found


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    (found,) = [i for i, text in enumerate(lines, start=1) if text.strip() == needle]
    return found


# --- golden documents -----------------------------------------------------------------------------

# The embedded-Terraform case is checked by its own test: its document is the HCL adapter's to shape.
GOLDEN_CASES = sorted(p.name for p in CASES.iterdir() if p.is_dir() and p.name != "terraform-transform")


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_document(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are given relative to the repository so loc.file and keys are stable in the golden file.
    monkeypatch.chdir(ROOT)
    template = _template(CASES / case).relative_to(ROOT)
    doc = _document(template)
    golden = CASES / case / "expected.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file for {case}; run with UPDATE_GOLDEN=1 once, then review it"
    assert doc == json.loads(golden.read_text(encoding="utf-8"))


def _without_locations(value: Any, file: str) -> Any:
    if isinstance(value, dict):
        return {k: _without_locations(v, file) for k, v in value.items() if k not in ("loc", "line", "file")}
    if isinstance(value, list):
        return [_without_locations(v, file) for v in value]
    if isinstance(value, str):
        return value.replace(file, "FILE")
    return value


def test_json_and_yaml_forms_give_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    yaml_file = Path("fixtures/adapters/ros/sg-inline/template.yaml")
    json_file = Path("fixtures/adapters/ros/sg-inline-json/template.json")
    from_yaml = _document(yaml_file)
    from_json = _document(json_file)
    for doc in (from_yaml, from_json):
        doc.pop("inputs")
        for sg in doc["security_groups"]:
            sg["skips"] = []  # JSON has no comments
            for rule in sg["rules"]:
                rule["skips"] = []
    assert _without_locations(from_yaml, str(yaml_file)) == _without_locations(from_json, str(json_file))
    assert len(from_json["security_groups"][0]["rules"]) == 9


def test_json_lines_are_the_lines_of_keys_and_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    path = Path("fixtures/adapters/ros/sg-inline-json/template.json")
    doc = _document(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    sg = _sg(doc, "Sg")
    assert lines[sg["loc"]["line"] - 1].strip().startswith('"Sg": {')
    for rule in sg["rules"]:
        assert lines[rule["loc"]["line"] - 1].strip() == "{"
        assert '"IpProtocol"' in lines[rule["loc"]["line"]]
    starts = [r["loc"]["line"] for r in sg["rules"]]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


# --- YAML lines and inline suppressions ----------------------------------------------------------


def test_yaml_lines_are_the_logical_id_and_the_rule_item() -> None:
    path = CASES / "sg-inline" / "template.yaml"
    doc = _document(path)
    sg = _sg(doc, "Sg")
    assert sg["loc"] == {"file": str(path), "line": _line_of(path, "Sg:")}
    assert _rule(doc, "Sg.SecurityGroupIngress[0]")["loc"]["line"] == _line_of(path, "- IpProtocol: TCP")
    flow = _rule(doc, "Sg.SecurityGroupIngress[4]")
    assert path.read_text().splitlines()[flow["loc"]["line"] - 1].strip().startswith("- {IpProtocol: udp")


def test_skip_comments_go_to_the_resource_and_to_the_rule_they_sit_on() -> None:
    path = CASES / "sg-inline" / "template.yaml"
    doc = _document(path)
    sg = _sg(doc, "Sg")
    assert [(s["rule_id"], s["reason"]) for s in sg["skips"]] == [
        ("CKV_ACK_8", "the public web tier is reviewed elsewhere"),
        ("CKV_ACK_13", "kept for the migration"),
    ]
    first = _rule(doc, "Sg.SecurityGroupIngress[0]")
    assert [s["rule_id"] for s in first["skips"]] == ["CKV_ACK_8"]
    assert first["skips"][0]["line"] == first["loc"]["line"] - 1
    assert [s["rule_id"] for s in _rule(doc, "Sg.SecurityGroupEgress[3]")["skips"]] == ["CKV_ACK_13"]
    assert _rule(doc, "Sg.SecurityGroupIngress[1]")["skips"] == []


def test_skips_in_separate_rule_resources(tmp_path: Path) -> None:
    doc = _document(CASES / "standalone-rules" / "template.yaml")
    assert [s["rule_id"] for s in _rule(doc, "AllOut")["skips"]] == ["CKV_ACK_8"]
    assert [s["rule_id"] for s in _rule(doc, "Kubelet.Permissions[1]")["skips"]] == ["CKV_ACK_5"]
    assert _rule(doc, "Kubelet.Permissions[0]")["skips"] == []
    assert _rule(doc, "Ssh")["skips"] == []


def test_resource_wide_skip_in_a_permissions_resource_covers_each_rule(tmp_path: Path) -> None:
    text = """ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Rules:
    Type: ALIYUN::ECS::SecurityGroupIngresses
    # checkov:skip=CKV_ACK_6: lab account
    Properties:
      SecurityGroupId: sg-bp1lab000000000001
      Permissions:
        - {IpProtocol: all, PortRange: -1/-1, SourceCidrIp: 0.0.0.0/0}
        # checkov:skip=CKV_ACK_5
        - {IpProtocol: tcp, PortRange: 10250/10250, SourceCidrIp: 0.0.0.0/0}
  Other:
    Type: ALIYUN::ECS::SecurityGroupIngress
    Properties:
      SecurityGroupId: sg-bp1lab000000000001
      IpProtocol: icmp
      PortRange: -1/-1
      SourceCidrIp: 0.0.0.0/0
"""
    parts, errors = _load_text(tmp_path, text)
    assert errors == []
    doc = assemble(parts, Settings())
    first, second = _rule(doc, "Rules.Permissions[0]"), _rule(doc, "Rules.Permissions[1]")
    assert [(s["rule_id"], s["reason"], s["line"]) for s in first["skips"]] == [
        ("CKV_ACK_6", "lab account", 5)
    ]
    assert sorted(s["rule_id"] for s in second["skips"]) == ["CKV_ACK_5", "CKV_ACK_6"]
    assert [s for s in second["skips"] if s["rule_id"] == "CKV_ACK_5"][0]["reason"] is None
    assert _rule(doc, "Other")["skips"] == []


# --- scenarios ------------------------------------------------------------------------------------


def _rule_tuples(doc: dict[str, Any], sg: dict[str, Any]) -> list[tuple[Any, ...]]:
    names = {s["key"]: s["name"] for s in doc["security_groups"]}
    out = []
    for r in sg["rules"]:
        peer = r["peer"]
        peer_text = peer["cidr"]["cidr"] if peer["kind"] == "cidr" else names.get(peer["sg"], peer["sg"])
        out.append(
            (
                r["direction"],
                r["protocol"],
                r["port_from"],
                r["port_to"],
                peer_text,
                r["action"],
                r["priority"],
            )
        )
    return sorted(out, key=str)


def test_scenario_basic_flannel() -> None:
    doc = _document(SCENARIOS / "basic-flannel" / "ros" / "template.yaml")
    (sg,) = doc["security_groups"]
    assert (sg["name"], sg["type"], sg["inner_access_policy"], sg["origin"]) == (
        "ack-basic-sg",
        "basic",
        "accept",
        "declared",
    )
    assert _rule_tuples(doc, sg) == sorted(
        [
            ("ingress", "icmp", -1, -1, "0.0.0.0/0", "accept", 1),
            ("ingress", "all", -1, -1, "ack-basic-sg", "accept", 1),
            ("ingress", "all", -1, -1, "172.20.0.0/16", "accept", 1),
            ("ingress", "tcp", 22, 22, "0.0.0.0/0", "drop", 1),
            ("egress", "all", -1, -1, "0.0.0.0/0", "accept", 1),
        ],
        key=str,
    )
    (cluster,) = doc["clusters"]
    assert (cluster["name"], cluster["kind"], cluster["network_plugin"]) == (
        "ack-flannel",
        "managed",
        "flannel",
    )
    assert cluster["security_group"] == sg["key"] and cluster["sg_set"] == [sg["key"]]
    assert cluster["pod_cidr"]["cidr"] == "172.20.0.0/16"
    assert cluster["service_cidr"]["cidr"] == "172.21.0.0/20"
    assert cluster["vpc"]["cidr"]["cidr"] == "192.168.0.0/16"
    assert [v["cidr"]["cidr"] for v in cluster["node_vswitches"]] == ["192.168.1.0/24"]
    assert cluster["node_pools"] == [] and cluster["pod_vswitches"] == []
    assert sg["vpc_id"] == cluster["vpc"]["id"]


def test_scenario_advanced_terway() -> None:
    doc = _document(SCENARIOS / "advanced-terway" / "ros" / "template.yaml")
    (sg,) = doc["security_groups"]
    assert (sg["name"], sg["type"], sg["inner_access_policy"]) == ("ack-advanced-sg", "advanced", "drop")
    assert _rule_tuples(doc, sg) == sorted(
        [
            ("ingress", "icmp", -1, -1, "0.0.0.0/0", "accept", 1),
            ("ingress", "all", -1, -1, "10.0.0.0/8", "accept", 1),
            ("ingress", "tcp", 6443, 6443, "0.0.0.0/0", "accept", 5),
            ("egress", "all", -1, -1, "0.0.0.0/0", "accept", 1),
        ],
        key=str,
    )
    (cluster,) = doc["clusters"]
    assert (cluster["name"], cluster["network_plugin"], cluster["pod_cidr"]) == ("ack-terway", "terway", None)
    assert cluster["service_cidr"]["cidr"] == "172.21.0.0/20"
    assert cluster["vpc"]["cidr"]["cidr"] == "10.0.0.0/8"
    assert [v["cidr"]["cidr"] for v in cluster["node_vswitches"]] == ["10.1.0.0/16"]
    assert [v["cidr"]["cidr"] for v in cluster["pod_vswitches"]] == ["10.2.0.0/16"]
    (pool,) = cluster["node_pools"]
    assert (pool["name"], pool["security_groups"]) == ("workers", [sg["key"]])
    assert cluster["sg_set"] == [sg["key"]]


def test_scenario_existing_sg_nodepools() -> None:
    doc = _document(SCENARIOS / "existing-sg-nodepools" / "ros" / "template.yaml")
    pool_sg = _sg(doc, "PoolSg")
    existing = _sg(doc, "sg-bp1existing0000001")
    assert (existing["origin"], existing["rules_known"], existing["rules"]) == ("referenced", False, [])
    assert (pool_sg["name"], pool_sg["type"], pool_sg["inner_access_policy"]) == (
        "ack-pool-sg",
        "basic",
        "accept",
    )
    assert _rule_tuples(doc, pool_sg) == sorted(
        [
            ("ingress", "tcp", 10250, 10250, "0.0.0.0/0", "accept", 1),
            ("ingress", "all", -1, -1, "172.16.0.0/12", "accept", 10),
            ("ingress", "tcp", 1, 65535, "192.168.0.0/16", "accept", 100),
            ("egress", "all", -1, -1, "100.64.0.0/10", "accept", 1),
        ],
        key=str,
    )
    (cluster,) = doc["clusters"]
    assert (cluster["name"], cluster["security_group"], cluster["network_plugin"]) == (
        "ack-existing",
        "sg-bp1existing0000001",
        "flannel",
    )
    assert cluster["pod_cidr"]["cidr"] == "172.20.0.0/16"
    assert cluster["vpc"]["cidr"]["cidr"] == "172.16.0.0/12"
    assert [v["cidr"]["cidr"] for v in cluster["node_vswitches"]] == ["172.16.1.0/24"]
    (pool,) = cluster["node_pools"]
    assert (pool["name"], pool["security_groups"]) == ("pool-a", [pool_sg["key"], "sg-bp1existing0000001"])
    assert set(cluster["sg_set"]) == {pool_sg["key"], "sg-bp1existing0000001"}


def test_scenario_existing_sg_follows_the_parameter() -> None:
    doc = _document(
        SCENARIOS / "existing-sg-nodepools" / "ros" / "template.yaml",
        {"SecurityGroupId": "sg-bp1other00000000001"},
    )
    (cluster,) = doc["clusters"]
    assert cluster["security_group"] == "sg-bp1other00000000001"
    assert "sg-bp1other00000000001" in cluster["node_pools"][0]["security_groups"]


# --- template functions ---------------------------------------------------------------------------


def test_functions_resolve_or_stay_unknown() -> None:
    doc = _document(CASES / "functions" / "template.yaml")
    sg = _sg(doc, "Sg")
    assert sg["name"] == "app-prod-sg"  # Fn::Join over a parameter default
    rules = {r["address"]: r for r in sg["rules"]}
    assert len(rules) == 5  # the Fn::If item that resolves to ALIYUN::NoValue is gone
    select = rules["Sg.SecurityGroupIngress[0]"]
    assert (select["port_range"], select["peer"]["cidr"]["cidr"]) == ("443/443", "203.0.113.0/24")
    sub = rules["Sg.SecurityGroupIngress[1]"]
    assert (sub["port_range"], sub["peer"]["cidr"]["cidr"], sub["priority"]) == ("8080/8080", "10.0.0.0/8", 3)
    unset = rules["Sg.SecurityGroupIngress[2]"]
    assert unset["port_range"] == "6443/6443"
    assert (unset["peer"]["kind"], unset["provenance"]["peer"]) == ("unknown", "unknown")
    assert unset["description"] is None and "description" not in unset["provenance"]  # NoValue removed it
    either = rules["Sg.SecurityGroupIngress[3]"]
    assert either["peer"]["cidr"]["cidr"] == "10.0.0.0/8"  # both branches agree
    assert (either["action"], either["provenance"]["action"]) == (None, "unknown")
    unsupported = rules["Sg.SecurityGroupIngress[4]"]
    assert unsupported["protocol"] == "all"  # Fn::Replace
    assert unsupported["peer"]["kind"] == "unknown"  # Fn::GetAZs is not evaluated


def test_parameters_from_the_command_line_override_defaults() -> None:
    doc = _document(
        CASES / "functions" / "template.yaml",
        {"Env": "dev", "OfficeCidr": "203.0.113.0/24", "Ports": "81/81, 8443/8443", "NotAParameter": "x"},
    )
    sg = _sg(doc, "Sg")
    assert sg["name"] == "app-dev-sg"
    rules = {r["address"]: r for r in sg["rules"]}
    assert len(rules) == 6  # IsDev adds the Fn::If rule
    assert rules["Sg.SecurityGroupIngress[0]"]["port_range"] == "8443/8443"
    assert rules["Sg.SecurityGroupIngress[0]"]["peer"]["cidr"]["cidr"] == "198.51.100.0/24"
    assert rules["Sg.SecurityGroupIngress[1]"]["peer"]["cidr"]["cidr"] == "0.0.0.0/0"
    assert rules["Sg.SecurityGroupIngress[2]"]["peer"]["cidr"]["cidr"] == "203.0.113.0/24"
    assert rules["Sg.SecurityGroupIngress[2]"]["description"] == "dev only"
    assert rules["Sg.SecurityGroupIngress[3]"]["action"] == "accept"  # ProdAndOffice is now known false
    assert rules["Sg.SecurityGroupIngress[5]"]["port_range"] == "3000/3000"


def _eval_rule(tmp_path: Path, field: str, expr: str, extra: str = "", **params: str) -> dict[str, Any]:
    text = f"""ROSTemplateFormatVersion: '2015-09-01'
{extra}
Resources:
  Sg:
    Type: ALIYUN::ECS::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - IpProtocol: tcp
          PortRange: 1/1
          SourceCidrIp: 10.0.0.0/8
          {field}: {expr}
"""
    parts, errors = _load_text(tmp_path, text, **params)
    assert errors == []
    return assemble(parts, Settings())["security_groups"][0]["rules"][0]


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("!Sub '${!Literal}-x'", "${Literal}-x"),
        ("{'Fn::Sub': ['a${X}b', {X: 1}]}", "a1b"),
        ("!Join [',', [a, 2, b]]", "a,2,b"),
        ("!Select ['1', [x, y]]", "y"),
        ("!Select [k, {k: v}]", "v"),
        ("!Str 5", "5"),
        ("!Join ['', !ListMerge [[a], [b, c]]]", "abc"),
        ("!Length [a, b]", "2"),
        ("!If [IsTrue, t, f]", "t"),
        ("!If [IsFalse, t, f]", "f"),
        ("!Join ['', [!If [Maybe, same, same]]]", "same"),
        ("!GetAtt Vsw.CidrBlock", "10.9.0.0/16"),
        ("{'Fn::GetAtt': [Vsw, CidrBlock]}", "10.9.0.0/16"),
    ],
)
def test_function_values(tmp_path: Path, expr: str, expected: str) -> None:
    extra = """Parameters:
  Unset:
    Type: String
Conditions:
  IsTrue: !Equals [1, '1']
  IsFalse: !Not [IsTrue]
  Maybe: !Equals [!Ref Unset, x]"""
    text = f"""ROSTemplateFormatVersion: '2015-09-01'
{extra}
Resources:
  Vsw:
    Type: ALIYUN::ECS::VSwitch
    Properties:
      CidrBlock: 10.9.0.0/16
  Sg:
    Type: ALIYUN::ECS::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - IpProtocol: tcp
          PortRange: 1/1
          SourceCidrIp: 10.0.0.0/8
          Description: {expr}
"""
    parts, errors = _load_text(tmp_path, text)
    assert errors == []
    rule = parts[0]["security_groups"][-1]["rules"][0]
    assert rule["description"] == expected


@pytest.mark.parametrize(
    "expr",
    [
        "!Ref Unset",
        "!Ref 'ALIYUN::Region'",
        "!Sub '${ALIYUN::StackName}-x'",
        "!Join ['', [a, !Ref Unset]]",
        "!Select [5, [a, b]]",
        "!If [Maybe, a, b]",
        "!GetAtt Sg.SecurityGroupName",
        "!Base64Encode abc",
        "{'Fn::Jq': [First, '.a', {a: 1}]}",
        "!Join ['', [!Ref Sg]]",
    ],
)
def test_unknowable_values_are_unknown(tmp_path: Path, expr: str) -> None:
    extra = """Parameters:
  Unset:
    Type: String
Conditions:
  Maybe: !Equals [!Ref Unset, x]"""
    rule = _eval_rule(tmp_path, "Description", expr, extra)
    assert rule["description"] is None
    assert rule["provenance"]["description"] == "unknown"


def test_condition_logic_is_three_valued(tmp_path: Path) -> None:
    extra = """Parameters:
  Unset:
    Type: String
Conditions:
  T: !Equals [a, a]
  F: !Equals [a, b]
  U: !Equals [!Ref Unset, a]
  FalseAndUnknown: !And [F, U]
  TrueOrUnknown: !Or [T, U]
  TrueAndUnknown: {'Fn::And': [T, {Condition: U}]}
  NotUnknown: !Not [U]"""
    cases = {"FalseAndUnknown": "b", "TrueOrUnknown": "a", "TrueAndUnknown": None, "NotUnknown": None}
    for cond, expected in cases.items():
        rule = _eval_rule(tmp_path, "Description", f"!If [{cond}, a, b]", extra)
        assert rule["description"] == expected, cond


def test_resource_conditions(tmp_path: Path) -> None:
    doc = _document(CASES / "conditions" / "template.yaml")
    assert {sg["address"] for sg in doc["security_groups"]} == {"Sg", "ProdSg"}
    sg = _sg(doc, "Sg")
    assert [r["address"] for r in sg["rules"]] == ["ProdKubelet"]  # DebugSsh's condition is false
    kubelet = sg["rules"][0]
    assert (kubelet["action"], kubelet["provenance"]["action"], kubelet["port_from"]) == (
        None,
        "unknown",
        10250,
    )
    assert _sg(doc, "ProdSg")["rules"][0]["provenance"]["action"] == "unknown"
    known = _document(CASES / "conditions" / "template.yaml", {"Stage": "dev", "CreateDebug": "true"})
    assert {sg["address"] for sg in known["security_groups"]} == {"Sg"}
    assert [(r["address"], r["action"]) for r in _sg(known, "Sg")["rules"]] == [("DebugSsh", "accept")]


def test_count_expands_resources_with_their_index() -> None:
    doc = _document(CASES / "count" / "template.yaml")
    assert [sg["address"] for sg in doc["security_groups"]] == ["Sg[0]", "Sg[1]"]
    assert [sg["name"] for sg in doc["security_groups"]] == ["pool-0", "pool-1"]
    first, second = doc["security_groups"]
    assert [r["peer"]["cidr"]["cidr"] for r in second["rules"]] == ["10.2.0.0/16"]
    assert [r["address"] for r in first["rules"]] == ["Sg[0].SecurityGroupIngress[0]", "FirstSgSsh"]
    three = _document(CASES / "count" / "template.yaml", {"SgCount": "3", "Cidrs": "a,b,10.3.0.0/16"})
    assert [sg["name"] for sg in three["security_groups"]] == ["pool-0", "pool-1", "pool-2"]
    assert three["security_groups"][2]["rules"][0]["peer"]["cidr"]["cidr"] == "10.3.0.0/16"


def test_unknown_count_keeps_one_copy_with_unknown_index(tmp_path: Path) -> None:
    text = """ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  N:
    Type: Number
Resources:
  Sg:
    Type: ALIYUN::ECS::SecurityGroup
    Count: !Ref N
    Properties:
      SecurityGroupName: !Sub 'sg-${ALIYUN::Index}'
"""
    parts, errors = _load_text(tmp_path, text)
    assert errors == []
    (sg,) = parts[0]["security_groups"]
    assert (sg["address"], sg["name"], sg["provenance"]["name"]) == ("Sg", None, "unknown")


# --- resources ------------------------------------------------------------------------------------


def test_rules_attach_by_ref_getatt_literal_and_parameter() -> None:
    doc = _document(CASES / "standalone-rules" / "template.yaml")
    sg = _sg(doc, "Sg")
    assert [r["address"] for r in sg["rules"]] == ["Ssh", "AllOut"]
    assert _rule(doc, "Ssh")["peer"]["cidr"]["cidr"] == "192.168.10.0/24"
    assert _rule(doc, "AllOut")["direction"] == "egress"
    literal = _sg(doc, "sg-bp1existing0000009")
    assert (literal["id"], literal["origin"], literal["rules_known"]) == (
        "sg-bp1existing0000009",
        "referenced",
        False,
    )
    assert [r["peer"]["sg"] for r in literal["rules"]] == [sg["key"], None]
    param = _sg(doc, "Parameters.SharedSg")
    (dns,) = param["rules"]
    assert dns["peer"]["sg"] == param["key"]  # the same unset parameter names the same SG


def test_clusters_and_node_pools() -> None:
    doc = _document(CASES / "clusters" / "template.yaml")
    managed = _cluster(doc, "Managed")
    assert managed["kind"] == "managed" and managed["is_enterprise_security_group"] is True
    assert managed["security_group"].endswith("Managed#ack-created-sg")
    assert (managed["network_plugin"], managed["provenance"]["network_plugin"]) == ("terway", "derived")
    assert (managed["vpc"]["cidr"]["cidr"], managed["provenance"]["vpc.cidr"]) == ("172.16.0.0/12", "default")
    assert [c["cidr"] for c in managed["vpc"]["secondary_cidrs"]] == ["10.100.0.0/16"]
    assert [v["cidr"]["cidr"] for v in managed["node_vswitches"]] == ["172.16.0.0/24", "172.17.0.0/24"]
    inline, default_pool = managed["node_pools"]
    assert inline["name"] == "inline-pool"
    assert inline["security_groups"] == [_sg(doc, "Sg")["key"], "sg-bp1extra0000000001"]
    assert default_pool["security_groups"] == [managed["security_group"]]  # joins the ACK-created SG
    assert default_pool["vswitches"] == [{"id": "vsw-bp1literal00000001", "cidr": None}]
    assert managed["skips"][0]["rule_id"] == "CKV_ACK_3"

    dedicated = _cluster(doc, "Dedicated")
    assert dedicated["kind"] == "dedicated"
    assert dedicated["security_group"] == _sg(doc, "Sg")["key"]
    assert (dedicated["network_plugin"], dedicated["pod_cidr"]["cidr"]) == ("flannel", "172.30.0.0/16")
    assert dedicated["vpc"]["id"] == "vpc-bp1existing000000001"
    assert dedicated["provenance"]["vpc.cidr"] == "unknown"
    assert dedicated["provenance"]["node_vswitches"] == "unknown"  # WorkerVSwitchIds has no value
    assert [p["name"] for p in dedicated["node_pools"]] == ["dedicated-pool"]

    (orphan,) = [c for c in doc["clusters"] if c["kind"] == "unknown"]
    assert orphan["cluster_id"] == "c0123456789abcdef0123456789abcdef"
    assert orphan["provenance"]["security_group"] == "unknown" and orphan["network_plugin"] == "unknown"
    assert orphan["node_pools"][0]["security_groups"] == [_sg(doc, "Sg")["key"]]


def test_clone_and_parameter_sg() -> None:
    doc = _document(CASES / "clone-and-external" / "template.yaml")
    clone = _sg(doc, "Clone")
    assert (clone["origin"], clone["rules_known"], clone["name"]) == ("clone", False, "cloned")
    assert [r["address"] for r in clone["rules"]] == ["CloneExtra"]
    param = _sg(doc, "Parameters.ClusterSecurityGroup")
    (cluster,) = doc["clusters"]
    assert cluster["security_group"] == param["key"] and cluster["sg_set"] == [param["key"]]
    assert (param["origin"], param["rules_known"]) == ("referenced", False)
    assert [r["address"] for r in param["rules"]] == ["ClusterSgRule"]


@pytest.mark.parametrize(
    ("addons", "extra", "plugin", "how"),
    [
        ("[{Name: flannel}]", "PodVswitchIds: [vsw-1]", "flannel", "given"),
        ("[{Name: terway-eniip}]", "ContainerCidr: 172.20.0.0/16", "terway", "given"),
        ("[{Name: terway-eni}, {Name: flannel, Disabled: true}]", "", "terway", "given"),
        ("[{Name: nginx-ingress-controller}]", "PodVswitchIds: [vsw-1]", "terway", "derived"),
        ("[{Name: flannel}, {Name: terway-eniip}]", "", "unknown", "unknown"),
        ("[]", "ContainerCidr: 172.20.0.0/16", "flannel", "derived"),
        ("!Ref Unset", "ContainerCidr: 172.20.0.0/16", "unknown", "unknown"),
        ("[{Name: !Ref Unset}]", "", "unknown", "unknown"),
        ("[]", "", "unknown", "unknown"),
    ],
)
def test_network_plugin(tmp_path: Path, addons: str, extra: str, plugin: str, how: str) -> None:
    text = f"""ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Unset:
    Type: Json
Resources:
  C:
    Type: ALIYUN::CS::ManagedKubernetesCluster
    Properties:
      VpcId: vpc-1
      VSwitchIds: [vsw-0]
      Addons: {addons}
      {extra}
"""
    parts, errors = _load_text(tmp_path, text)
    assert errors == []
    (cluster,) = parts[0]["clusters"]
    assert (cluster["network_plugin"], cluster["provenance"]["network_plugin"]) == (plugin, how)


def test_unknown_rule_list_and_unknown_rule_item(tmp_path: Path) -> None:
    text = """ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Rules:
    Type: Json
  Flag:
    Type: String
Conditions:
  FlagSet: !Equals [!Ref Flag, enabled]
Resources:
  Sg:
    Type: ALIYUN::ECS::SecurityGroup
    Properties:
      SecurityGroupIngress: !Ref Rules
      SecurityGroupEgress:
        - !If [FlagSet, {IpProtocol: all, PortRange: -1/-1, DestCidrIp: 0.0.0.0/0}, !Ref 'ALIYUN::NoValue']
"""
    parts, errors = _load_text(tmp_path, text)
    assert errors == []
    (sg,) = parts[0]["security_groups"]
    assert (sg["rules_known"], sg["provenance"]["rules"]) == (False, "unknown")
    (rule,) = sg["rules"]
    assert rule["direction"] == "egress"
    for name in ("protocol", "port_range", "peer", "action", "priority"):
        assert rule["provenance"][name] == "unknown", name


def test_json_parameter_with_rules_is_used(tmp_path: Path) -> None:
    text = """ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Rules:
    Type: Json
    Default: '[{"IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"}]'
Resources:
  Sg:
    Type: ALIYUN::ECS::SecurityGroup
    Properties:
      SecurityGroupIngress: !Ref Rules
"""
    parts, errors = _load_text(tmp_path, text)
    assert errors == []
    (rule,) = parts[0]["security_groups"][0]["rules"]
    assert (rule["address"], rule["port_from"], rule["loc"]["line"]) == ("Sg.SecurityGroupIngress[0]", 22, 10)


# --- sniffing -------------------------------------------------------------------------------------

ROS_YAML = "ROSTemplateFormatVersion: '2015-09-01'\nResources: {}\n"
ROS_JSON_COMPACT = '{"ROSTemplateFormatVersion":"2015-09-01","Resources":{}}'
NO_VERSION = "Resources:\n  Sg:\n    Type: ALIYUN::ECS::SecurityGroup\n"
NO_VERSION_JSON = '{"Resources": {"Sgs": {"Type": "DATASOURCE::ECS::SecurityGroups"}}}'
K8S = "apiVersion: v1\nkind: ConfigMap\ndata:\n  t: |\n    ROSTemplateFormatVersion: '2015-09-01'\n"
CI = "name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
CFN = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
PLAN = json.dumps(
    {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "resource_changes": [],
        "planned_values": {"root_module": {"resources": [{"values": {"template_body": ROS_JSON_COMPACT}}]}},
    },
    indent=2,
)


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        (ROS_YAML, True),
        (ROS_JSON_COMPACT, True),
        (json.dumps(json.loads(ROS_JSON_COMPACT), indent=2), True),
        (NO_VERSION, True),
        (NO_VERSION_JSON, True),
        (K8S, False),
        (CI, False),
        (CFN, False),
        (PLAN, False),
        ("Resources:\n  X:\n    Type: Custom::Thing\n", False),
    ],
)
def test_sniff(text: str, claimed: bool) -> None:
    assert ros.sniff(Path("t.yaml"), text) is claimed


def test_registry_routes_templates_here_and_skips_other_yaml(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text((SCENARIOS / "basic-flannel" / "ros" / "template.yaml").read_text())
    (tmp_path / "k8s.yaml").write_text(K8S)
    (tmp_path / "ci.yml").write_text(CI)
    result = load_paths([tmp_path], AdapterOptions())
    assert [p["inputs"] for p in result.parts if p["inputs"][0]["kind"] == "ros"] == [
        [{"file": str(tmp_path / "a.yaml"), "kind": "ros"}]
    ]
    assert sorted(result.skipped) == sorted([str(tmp_path / "k8s.yaml"), str(tmp_path / "ci.yml")])


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  Sg: [\n", "invalid YAML", 4),
        ("- a\n- b\n", "top level is not a mapping", 1),
        ("ROSTemplateFormatVersion: '2015-09-01'\nResources: [a]\n", "Resources must be a mapping", 2),
        ("ROSTemplateFormatVersion: x\nResources:\n  Sg:\n    Properties: {}\n", "has no Type", 3),
        (
            "ROSTemplateFormatVersion: x\nResources:\n  Sg:\n    Type: ALIYUN::ECS::SecurityGroup\n"
            "    Properties:\n      VpcId: !Ref Nope\n",
            "Ref to Nope",
            6,
        ),
        (
            "ROSTemplateFormatVersion: x\nResources:\n  Sg:\n    Type: ALIYUN::ECS::SecurityGroup\n"
            "    Condition: Missing\n",
            "unknown condition",
            3,
        ),
        (
            "ROSTemplateFormatVersion: x\nConditions:\n  A: !Not [B]\n  B: !Not [A]\nResources:\n"
            "  Sg:\n    Type: ALIYUN::ECS::SecurityGroup\n    Condition: A\n",
            "refers to itself",
            None,
        ),
        (
            "ROSTemplateFormatVersion: x\nResources:\n  Sg:\n    Type: ALIYUN::ECS::SecurityGroup\n"
            "    Properties:\n      SecurityGroupIngress: [just-a-string]\n",
            "a rule must be a mapping",
            6,
        ),
        (
            "ROSTemplateFormatVersion: x\nResources:\n  Sg:\n    Type: ALIYUN::ECS::SecurityGroup\n"
            "    Properties:\n      SecurityGroupIngress:\n        - IpProtocol: [tcp, udp]\n",
            "IpProtocol must be a single value",
            7,
        ),
        (
            "ROSTemplateFormatVersion: x\nResources:\n  Sg:\n    Type: ALIYUN::ECS::SecurityGroup\n"
            "    Properties:\n      SecurityGroupIngress: 5\n",
            "must be a list",
            6,
        ),
        (
            "ROSTemplateFormatVersion: x\nResources:\n  Sg:\n"
            "    Type: ALIYUN::ECS::SecurityGroup\n    Count: -1\n",
            "Count",
            3,
        ),
        ("ROSTemplateFormatVersion: x\n---\nResources: {}\n", "invalid YAML", None),
        ("ROSTemplateFormatVersion: x\nResources:\n  Sg: !Ref\n    - [a]\n", "", None),
        (
            "ROSTemplateFormatVersion: x\nResources:\n  C:\n    Type: ALIYUN::CS::ClusterNodePool\n"
            "    Properties: [a]\n",
            "Properties must be a mapping",
            3,
        ),
        (
            "ROSTemplateFormatVersion: x\nResources:\n  Sg:\n    Type: ALIYUN::ECS::SecurityGroup\n"
            "    Properties:\n      SecurityGroupName: !FindInMap [M, a, b]\nMappings:\n  M: {a: {c: 1}}\n",
            "no key 'b'",
            6,
        ),
    ],
)
def test_bad_templates_give_one_error_with_file_and_line(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    error = _one_error(tmp_path, text)
    assert message in error.message
    if line is not None:
        assert error.line == line


def test_bad_json_gives_its_line(tmp_path: Path) -> None:
    error = _one_error(
        tmp_path, '{\n  "ROSTemplateFormatVersion": "2015-09-01",\n  "Resources": {,}\n}\n', "t.json"
    )
    assert "invalid JSON" in error.message and error.line == 3


def test_embedded_terraform_is_read_by_the_hcl_adapter() -> None:
    path = CASES / "terraform-transform" / "template.yaml"
    doc = _document(path, {"admin_cidr": "203.0.113.0/24"})
    assert doc["inputs"] == [{"file": str(path), "kind": "ros"}]
    (sg,) = doc["security_groups"]
    assert sg["name"] == "embedded-sg"
    assert sg["key"].startswith(f"tf:{path}#Workspace:")
    sg_line = _line_of(path, 'resource "alicloud_security_group" "sg" {')
    assert sg["loc"] == {"file": str(path), "line": sg_line}
    (rule,) = sg["rules"]
    assert rule["loc"]["line"] == _line_of(path, 'resource "alicloud_security_group_rule" "admin" {')
    # ROS parameters become Terraform variables: --param, then the ROS Default, then the variable's.
    assert (rule["port_range"], rule["peer"]["cidr"]["cidr"]) == ("3389/3389", "203.0.113.0/24")
    assert [(s["rule_id"], s["line"]) for s in rule["skips"]] == [
        ("CKV_ACK_8", _line_of(path, "# checkov:skip=CKV_ACK_8:admin access from the office"))
    ]
    with_default = _document(path)
    assert with_default["security_groups"][0]["rules"][0]["peer"]["cidr"]["cidr"] == "192.168.10.0/24"


@pytest.mark.parametrize(
    ("workspace", "message", "line"),
    [
        ("Workspace:\n  ../evil.tf: 'x'\n", "leaves the workspace", 4),
        ("Workspace: {}\n", "without a Workspace", 3),
        ("Workspace:\n  main.tf: [a]\n", "not text", 4),
        ('Workspace:\n  main.tf: |\n    resource "alicloud_security_group" "sg" {\n', "Terraform", 5),
    ],
)
def test_bad_embedded_terraform(tmp_path: Path, workspace: str, message: str, line: int) -> None:
    text = "ROSTemplateFormatVersion: '2015-09-01'\nTransform: Aliyun::Terraform-v1.5\n" + workspace
    parts, errors = _load_text(tmp_path, text)
    assert errors and message in errors[0].message, errors
    assert errors[0].file == str(tmp_path / "t.yaml") and errors[0].line == line


def test_alias_bomb_and_deep_nesting_fail_cleanly(tmp_path: Path) -> None:
    bomb = ["ROSTemplateFormatVersion: x", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    assert "alias" in _one_error(tmp_path, "\n".join(bomb) + "\n").message
    deep = "ROSTemplateFormatVersion: x\nResources: " + "[" * 300 + "]" * 300 + "\n"
    assert "deeper" in _one_error(tmp_path, deep).message
    very_deep = "ROSTemplateFormatVersion: x\nResources: " + "[" * 50000 + "]" * 50000 + "\n"
    assert "deeper" in _one_error(tmp_path, very_deep).message
    deep_json = '{"ROSTemplateFormatVersion": "x", "R": ' + "[" * 300 + "]" * 300 + "}"
    assert "deeper" in _one_error(tmp_path, deep_json, "t.json").message


def test_yaml_constructs_no_objects(tmp_path: Path) -> None:
    text = "ROSTemplateFormatVersion: x\nResources: !!python/object/apply:os.system [echo hi]\n"
    error = _one_error(tmp_path, text)
    assert error.line == 2


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text((SCENARIOS / "basic-flannel" / "ros" / "template.yaml").read_text())
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"ROSTemplateFormatVersion: x\nDescription: \xff\xfe\n")
    missing = tmp_path / "missing.yaml"
    parts, errors = ros.load([bad, good, missing], AdapterOptions())
    assert [p["inputs"][0]["file"] for p in parts] == [str(good)]
    assert [e.file for e in errors] == [str(bad), str(missing)]
    assert errors[0].line == 2 and "UTF-8" in errors[0].message


def test_locals_are_evaluated_or_unknown(tmp_path: Path) -> None:
    text = """ROSTemplateFormatVersion: '2015-09-01'
Locals:
  Office:
    Value: !Join ['/', [203.0.113.0, '24']]
  Computed:
    Type: Eval
    Value: !Ref Office
  Vpcs:
    Type: DATASOURCE::VPC::Vpcs
Resources:
  Sg:
    Type: ALIYUN::ECS::SecurityGroup
    Properties:
      VpcId: !GetAtt Vpcs.VpcIds
      SecurityGroupIngress:
        - {IpProtocol: tcp, PortRange: 22/22, SourceCidrIp: !Ref Computed}
        - {IpProtocol: tcp, PortRange: 23/23, SourceCidrIp: !Ref Vpcs}
"""
    parts, errors = _load_text(tmp_path, text)
    assert errors == []
    (sg,) = parts[0]["security_groups"]
    assert sg["provenance"]["vpc_id"] == "unknown"
    first, second = sg["rules"]
    assert first["peer"]["cidr"]["cidr"] == "203.0.113.0/24"
    assert second["peer"]["kind"] == "unknown"


def test_conditions_of_resources_not_read_are_not_evaluated(tmp_path: Path) -> None:
    text = """ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Instance:
    Type: ALIYUN::ECS::Instance
    Condition: NotDefinedAnywhere
  Sg:
    Type: ALIYUN::ECS::SecurityGroup
"""
    parts, errors = _load_text(tmp_path, text)
    assert errors == [] and len(parts[0]["security_groups"]) == 1


YAML_TEMPLATES = sorted(
    [p for p in CASES.glob("*/template.yaml") if p.parent.name != "terraform-transform"]
    + list(SCENARIOS.glob("*/ros/template.yaml"))
)


@pytest.mark.parametrize("path", YAML_TEMPLATES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_yaml_fixture_reads_the_same_as_json(path: Path, tmp_path: Path) -> None:
    # The JSON twin is what the YAML loader built (short tags in their long form), dumped as JSON.
    from checkov_ack.adapters.ros_parse import load_yaml

    json_path = tmp_path / "template.json"
    json_path.write_text(json.dumps(load_yaml(path.read_text(encoding="utf-8"), str(path)), indent=2))
    docs = []
    for source in (path, json_path):
        doc = _document(source)
        doc.pop("inputs")
        for entity in [*doc["security_groups"], *doc["clusters"]]:
            entity["skips"] = []
            for child in entity.get("rules", []) + entity.get("node_pools", []):
                child["skips"] = []
        docs.append(_without_locations(doc, str(source)))
    assert docs[0] == docs[1]
    assert docs[0]["security_groups"] or docs[0]["clusters"]


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("!Ref P", {"Ref": "P"}),
        ("!GetAtt Sg.SecurityGroupId", {"Fn::GetAtt": ["Sg", "SecurityGroupId"]}),
        ("!GetAtt [Sg, SecurityGroupId]", {"Fn::GetAtt": ["Sg", "SecurityGroupId"]}),
        ("!Sub 'a-${P}'", {"Fn::Sub": "a-${P}"}),
        ("!Join [',', [a, b]]", {"Fn::Join": [",", ["a", "b"]]}),
        ("!Select [0, !Split [',', 'a,b']]", {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}),
        ("!If [C, a, b]", {"Fn::If": ["C", "a", "b"]}),
        (
            "!And [!Equals [a, a], !Or [C, !Not [D]]]",
            {"Fn::And": [{"Fn::Equals": ["a", "a"]}, {"Fn::Or": ["C", {"Fn::Not": ["D"]}]}]},
        ),
        ("!FindInMap [M, a, b]", {"Fn::FindInMap": ["M", "a", "b"]}),
        ("!Base64Encode x", {"Fn::Base64Encode": "x"}),
        ("!GetAZs ''", {"Fn::GetAZs": ""}),
        ("!Replace [{a: b}, abc]", {"Fn::Replace": [{"a": "b"}, "abc"]}),
        ("!Condition C", {"Condition": "C"}),
    ],
)
def test_short_tags_become_long_forms(yaml_text: str, expected: Any) -> None:
    from checkov_ack.adapters.ros_parse import load_yaml

    assert load_yaml(f"v: {yaml_text}\n", "t.yaml")["v"] == expected


def test_yaml_anchors_and_merge_keys_are_followed(tmp_path: Path) -> None:
    text = """ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Sg:
    Type: ALIYUN::ECS::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - &base {IpProtocol: tcp, PortRange: 22/22, SourceCidrIp: 10.0.0.0/8}
        - <<: *base
          PortRange: 443/443
"""
    parts, errors = _load_text(tmp_path, text)
    assert errors == []
    rules = parts[0]["security_groups"][0]["rules"]
    assert [(r["port_range"], r["peer"]["cidr"]["cidr"], r["loc"]["line"]) for r in rules] == [
        ("22/22", "10.0.0.0/8", 7),
        ("443/443", "10.0.0.0/8", 8),
    ]


def test_a_template_without_resources_is_an_empty_part(tmp_path: Path) -> None:
    parts, errors = _load_text(tmp_path, "ROSTemplateFormatVersion: '2015-09-01'\nDescription: nothing\n")
    assert errors == []
    assert parts == [
        {"inputs": [{"file": str(tmp_path / "t.yaml"), "kind": "ros"}], "clusters": [], "security_groups": []}
    ]


def _shape(value: Any) -> Any:
    """Data with every line the loader recorded, for comparing loaders."""
    from checkov_ack.adapters.ros_parse import LDict, LList

    if isinstance(value, LDict):
        return (
            "map",
            value.line,
            value.key_lines,
            value.value_ends,
            {k: _shape(v) for k, v in value.items()},
        )
    if isinstance(value, LList):
        return ("seq", value.line, value.item_spans, [_shape(v) for v in value])
    return value


@pytest.mark.parametrize("path", YAML_TEMPLATES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_libyaml_and_python_loaders_agree_on_values_and_lines(path: Path) -> None:
    from checkov_ack.adapters.ros_parse import load_yaml

    text = path.read_text(encoding="utf-8")
    assert _shape(load_yaml(text, "t", fast=True)) == _shape(load_yaml(text, "t", fast=False))


def test_nesting_too_deep_for_libyaml_falls_back_to_a_clean_error(tmp_path: Path) -> None:
    # libyaml would crash the process on this; the Python parser reports it.
    deep = "ROSTemplateFormatVersion: x\nResources: " + "[" * 40000 + "]" * 40000 + "\n"
    assert "deeper" in _one_error(tmp_path, deep).message


def test_checkov_metadata_skips_work_in_json(tmp_path: Path) -> None:
    template = {
        "ROSTemplateFormatVersion": "2015-09-01",
        "Resources": {
            "Sg": {
                "Type": "ALIYUN::ECS::SecurityGroup",
                "Metadata": {
                    "checkov": {"skip": [{"id": "CKV_ACK_6", "comment": "lab"}, {"id": "CKV_ACK_8"}]}
                },
                "Properties": {"SecurityGroupName": "lab"},
            },
            "Bad": {"Type": "ALIYUN::ECS::SecurityGroup", "Metadata": {"checkov": {"skip": "CKV_ACK_1"}}},
        },
    }
    text = json.dumps(template, indent=2)
    error = _one_error(tmp_path, text, "t.json")
    assert "Metadata.checkov.skip must be a list" in error.message
    del template["Resources"]["Bad"]
    text = json.dumps(template, indent=2)
    parts, errors = _load_text(tmp_path, text, "t.json")
    assert errors == []
    lines = text.splitlines()
    skips = parts[0]["security_groups"][0]["skips"]
    assert [(s["rule_id"], s["reason"]) for s in skips] == [("CKV_ACK_6", "lab"), ("CKV_ACK_8", None)]
    assert [lines[s["line"] - 1].strip() for s in skips] == ["{", "{"]
    assert '"CKV_ACK_6"' in lines[skips[0]["line"]]
