"""Real API samples (../shared/corpus/api): each normalizes cleanly and says what the raw JSON says.

Expected values are read from the raw files here, independently of the adapter, and a few
literal facts pin what a reader of each file sees.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest

from checkov_ack.adapters import api_export
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from helpers import CORPUS

API = CORPUS / "api"
FILES = sorted(API.rglob("*.json"))
ECS = API / "AlibabaCloudDocs-ecs"
CSK = API / "csk"
KONTAINER = API / "kontainer-engine-driver-aliyun"

pytestmark = pytest.mark.skipif(not FILES, reason="shared corpus not present")


def _load(*paths: Path) -> tuple[dict[str, Any], list[InputError]]:
    parts, errors = api_export.load(list(paths), AdapterOptions())
    return assemble(parts, Settings()), errors


def _clean(*paths: Path) -> dict[str, Any]:
    doc, errors = _load(*paths)
    assert [str(e) for e in errors] == []
    assert schema_errors(doc) == []
    return doc


def _raw(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _net(text: str) -> str:
    return str(ipaddress.ip_network(text, strict=False))


def test_corpus_is_there() -> None:
    assert len(FILES) == 6


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(API)))
def test_every_file_is_sniffed_and_normalizes_alone(path: Path) -> None:
    assert api_export.sniff(path, path.read_text(encoding="utf-8"))
    doc = _clean(path)
    assert doc["inputs"] == [{"file": str(path), "kind": "api_export"}]
    assert doc["security_groups"] or doc["clusters"]


@pytest.mark.parametrize(
    "path", sorted(ECS.glob("DescribeSecurityGroupAttribute*.json")), ids=lambda p: p.name
)
def test_attribute_samples(path: Path) -> None:
    raw = _raw(path)
    perms = raw["Permissions"]["Permission"]
    doc = _clean(path)
    (sg,) = doc["security_groups"]
    assert sg["key"] == sg["id"] == raw["SecurityGroupId"]
    assert (sg["name"], sg["vpc_id"]) == (raw["SecurityGroupName"], raw["VpcId"])
    assert sg["inner_access_policy"] == raw["InnerAccessPolicy"].lower()
    assert sg["type"] is None  # no DescribeSecurityGroups for it in the same scan
    assert len(sg["rules"]) == len(perms)
    for rule, perm in zip(sg["rules"], perms, strict=True):
        side = "Source" if perm["Direction"] == "ingress" else "Dest"
        assert rule["direction"] == perm["Direction"]
        assert rule["protocol"] == perm["IpProtocol"].lower()
        assert rule["port_range"] == perm["PortRange"]
        assert rule["action"] == perm["Policy"].lower()
        assert rule["priority"] == int(perm["Priority"])
        assert rule["nic_type"] == perm["NicType"]
        assert rule["peer"]["kind"] == "cidr"
        assert rule["peer"]["cidr"]["cidr"] == _net(perm[f"{side}CidrIp"])
        assert rule["description"] == (perm["Description"] or None)


def test_attribute_sample_literal_facts() -> None:
    (sg,) = _clean(ECS / "DescribeSecurityGroupAttribute__en-US.json")["security_groups"]
    assert sg["id"] == "sg-bp1gxw6bznjjvhu3****"
    rules = [(r["protocol"], r["port_from"], r["port_to"], r["peer"]["cidr"]["cidr"]) for r in sg["rules"]]
    assert rules == [
        ("tcp", 22, 22, "10.0.0.0/8"),
        ("tcp", 443, 443, "0.0.0.0/0"),
        ("tcp", 80, 80, "0.0.0.0/0"),
        ("icmp", -1, -1, "10.0.0.0/8"),
    ]
    assert {(r["action"], r["priority"]) for r in sg["rules"]} == {("accept", 1)}
    (cn,) = _clean(ECS / "DescribeSecurityGroupAttribute__cn-zh-CN.json")["security_groups"]
    assert [(r["protocol"], r["port_range"], r["description"]) for r in cn["rules"]] == [
        ("tcp", "22/22", "Description Sample 01")
    ]


def test_security_groups_sample() -> None:
    path = ECS / "DescribeSecurityGroups__en-US.json"
    groups = _raw(path)["SecurityGroups"]["SecurityGroup"]
    doc = _clean(path)
    assert [sg["id"] for sg in doc["security_groups"]] == [g["SecurityGroupId"] for g in groups]
    for sg, group in zip(doc["security_groups"], groups, strict=True):
        assert sg["type"] == {"normal": "basic", "enterprise": "advanced"}[group["SecurityGroupType"]]
        assert (sg["origin"], sg["rules_known"], sg["name"]) == (
            "referenced",
            False,
            group["SecurityGroupName"],
        )
    assert doc["security_groups"][0]["type"] == "basic"  # "SecurityGroupType": "normal"


def test_the_two_doc_samples_of_one_masked_id_stay_two_sgs() -> None:
    # Both samples show sg-bp1gxw6bznjjvhu3**** with different names and rules. A masked ID
    # identifies nothing, so they are two SGs, not pages of one.
    paths = sorted(ECS.glob("*.json"))
    doc = _clean(*paths)
    masked = [sg for sg in doc["security_groups"] if sg["id"] == "sg-bp1gxw6bznjjvhu3****"]
    by_name = {sg["name"]: sg for sg in masked}
    assert sorted(by_name) == ["FinanceJoshua", "SecurityGroupName Sample"]
    assert len(by_name["SecurityGroupName Sample"]["rules"]) == 1
    assert len(by_name["FinanceJoshua"]["rules"]) == 4
    assert len({sg["key"] for sg in doc["security_groups"]}) == len(doc["security_groups"]) == 3
    assert {r["key"].rsplit("/", 1)[0] for r in by_name["FinanceJoshua"]["rules"]} == {
        by_name["FinanceJoshua"]["key"]
    }


def test_the_whole_api_corpus_normalizes_together() -> None:
    doc = _clean(*FILES)
    assert len(doc["inputs"]) == len(FILES)
    # The node pool sample joins the cluster sample of its own directory.
    csk = next(c for c in doc["clusters"] if c["name"] == "cluster-demo")
    assert [p["name"] for p in csk["node_pools"]] == ["default-nodepool"]
    assert sorted(c["name"] for c in doc["clusters"]) == ["cluster-demo", "lawrtest1"]


def test_cluster_detail_sample_with_masked_meta_data() -> None:
    path = CSK / "DescribeClusterDetail__en-US.json"
    raw = _raw(path)
    with pytest.raises(ValueError):
        json.loads(raw["meta_data"])  # masked: its facts are unknown
    (cluster,) = _clean(path)["clusters"]
    assert cluster["cluster_id"] == raw["cluster_id"] and cluster["name"] == raw["name"]
    assert cluster["security_group"] == raw["security_group_id"] == "sg-25yq****"
    assert raw["cluster_type"] == "Kubernetes" and cluster["kind"] == "dedicated"
    # subnet_cidr is the pod CIDR; only Flannel has one.
    assert cluster["pod_cidr"]["cidr"] == raw["subnet_cidr"] == "172.20.0.0/16"
    assert (cluster["network_plugin"], cluster["provenance"]["network_plugin"]) == ("flannel", "derived")
    assert [v["id"] for v in cluster["node_vswitches"]] == raw["vswitch_id"].split(",")
    assert cluster["vpc"]["id"] == raw["vpc_id"]
    assert cluster["api_server_address"]["cidr"] == "192.168.0.251/32"  # intranet endpoint in master_url
    for name in ("service_cidr", "vpc.cidr", "vpc.secondary_cidrs"):
        assert cluster["provenance"][name] == "unknown", name
    assert cluster["pod_vswitches"] == []  # Flannel has no pod vSwitches


def test_node_pool_sample_alone_and_with_its_cluster() -> None:
    pool_path = CSK / "DescribeClusterNodePoolDetail__en-US.json"
    raw = _raw(pool_path)
    doc = _clean(pool_path)
    (placeholder,) = doc["clusters"]
    assert placeholder["kind"] == "unknown" and placeholder["cluster_id"] is None
    (pool,) = placeholder["node_pools"]
    assert pool["key"] == raw["nodepool_info"]["nodepool_id"]
    assert pool["name"] == raw["nodepool_info"]["name"] == "default-nodepool"
    assert pool["security_groups"] == [raw["scaling_group"]["security_group_id"]]
    assert [v["id"] for v in pool["vswitches"]] == raw["scaling_group"]["vswitch_ids"]
    # With the cluster sample (the only cluster of the export) the pool joins it.
    together = _clean(CSK / "DescribeClusterDetail__en-US.json", pool_path)
    (cluster,) = together["clusters"]
    assert [p["key"] for p in cluster["node_pools"]] == [pool["key"]]
    assert cluster["sg_set"] == ["sg-25yq****", "sg-2ze60ockeekspl3d****"]


def test_real_2018_capture() -> None:
    path = KONTAINER / "describe_cluster_2018_managed.json"
    raw = _raw(path)
    meta = json.loads(raw["meta_data"])
    assert "Addons" not in meta and "Capabilities" not in meta
    (cluster,) = _clean(path)["clusters"]
    assert cluster["cluster_id"] == "c14a3a52712894dd79b80a73b60c0da67"
    assert raw["cluster_type"] == "ManagedKubernetes" and cluster["kind"] == "managed"
    assert cluster["security_group"] == raw["security_group_id"] == raw["parameters"]["SecurityGroupId"]
    assert cluster["pod_cidr"]["cidr"] == raw["subnet_cidr"] == raw["parameters"]["ContainerCIDR"]
    assert cluster["network_plugin"] == "flannel"
    assert cluster["service_cidr"]["cidr"] == raw["parameters"]["ServiceCIDR"] == "172.19.0.0/20"
    assert [v["id"] for v in cluster["node_vswitches"]] == [raw["vswitch_id"]]
    # master_url is empty; the stack's MasterSLBPrivateIP parameter is the intranet API server.
    assert raw["master_url"] == ""
    assert cluster["api_server_address"]["cidr"] == raw["parameters"]["MasterSLBPrivateIP"] + "/32"
    assert cluster["pod_vswitches"] == [] and "pod_vswitches" not in cluster["provenance"]


def test_plan_corpus_is_not_claimed() -> None:
    plans = sorted((CORPUS / "plan").rglob("*.json"))
    assert plans
    for path in plans:
        assert not api_export.sniff(path, path.read_text(encoding="utf-8")), path
