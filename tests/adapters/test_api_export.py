"""API export adapter: features (with golden documents), the aliyun CLI quirks, joins and bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from checkov_ack.adapters import api_export, load_paths
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings
from helpers import FIXTURES, ROOT

CASES = FIXTURES / "adapters" / "api_export"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "input").is_dir())


def _inputs(case: str) -> list[Path]:
    # Relative paths, as a user would type them, so goldens hold no machine-specific prefix.
    return sorted(p.relative_to(ROOT) for p in (CASES / case / "input").rglob("*.json"))


def _load(paths: list[Path]) -> tuple[dict[str, Any], list[InputError]]:
    parts, errors = api_export.load(paths, AdapterOptions())
    return assemble(parts, Settings()), errors


def _case(case: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.chdir(ROOT)
    doc, errors = _load(_inputs(case))
    assert [str(e) for e in errors] == []
    assert schema_errors(doc) == []
    return doc


def _sg(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(sg for sg in doc["security_groups"] if sg["key"] == key)


def _cluster(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in doc["clusters"] if c["name"] == name)


def _cidr(facts: dict[str, Any] | None) -> str | None:
    return None if facts is None else facts["cidr"]


def _write(path: Path, obj: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj, indent=2))
    return path


# --------------------------------------------------------------------------- goldens


@pytest.mark.parametrize("case", CASE_NAMES)
def test_golden(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _case(case, monkeypatch)
    golden = CASES / case / "expected.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    assert golden.exists(), f"no golden for {case}: run with UPDATE_GOLDEN=1 once, then review it"
    assert doc == json.loads(golden.read_text())


def test_every_case_has_a_golden() -> None:
    assert len(CASE_NAMES) >= 8
    assert all((CASES / c / "expected.json").is_file() for c in CASE_NAMES)


# --------------------------------------------------------------------------- rules and quirks


def _raw_permissions(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text())["Permissions"]["Permission"])


def test_quirks_rules_follow_the_raw_permissions(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _case("quirks", monkeypatch)
    raw_file = CASES / "quirks" / "input" / "DescribeSecurityGroupAttribute.json"
    raw = _raw_permissions(raw_file)
    sg = _sg(doc, "sg-bp1quirks0a1b2c3d4e5")
    assert len(sg["rules"]) == len(raw)
    for rule, perm in zip(sg["rules"], raw, strict=True):
        assert rule["direction"] == perm["Direction"]
        assert rule["protocol"] == perm["IpProtocol"].lower()
        assert rule["action"] == (perm["Policy"].lower() or "accept")
        assert rule["priority"] == (int(perm["Priority"]) if perm["Priority"] != "" else 1)
    # Upper-case and capitalized API values arrive lower-cased; string priorities are integers.
    assert {r["protocol"] for r in sg["rules"]} == {"icmp", "tcp", "gre", "all", "udp"}
    assert [r["priority"] for r in sg["rules"] if r["action"] == "drop"] == [100, 100]


def test_quirks_peer_side_follows_direction(monkeypatch: pytest.MonkeyPatch) -> None:
    sg = _sg(_case("quirks", monkeypatch), "sg-bp1quirks0a1b2c3d4e5")
    by_key = {r["key"].split("/")[1]: r for r in sg["rules"]}
    # Egress 5-tuple rule: SourceCidrIp is the local side; the peer is DestCidrIp.
    assert _cidr(by_key["egress[1]"]["peer"]["cidr"]) == "10.0.0.0/8"
    # Ingress with both SourceCidrIp and SourceGroupId: the CIDR wins, as in the API.
    assert by_key["ingress[1]"]["peer"]["kind"] == "cidr"
    assert _cidr(by_key["ingress[1]"]["peer"]["cidr"]) == "198.51.100.0/24"
    assert _cidr(by_key["ingress[2]"]["peer"]["cidr"]) == "2001:db8::/32"
    assert by_key["ingress[4]"]["peer"] == {
        "kind": "prefix_list",
        "cidr": None,
        "sg": None,
        "sg_type": None,
        "prefix_list": "pl-bp1office000000001",
    }
    assert by_key["egress[0]"]["peer"]["kind"] == "sg"
    assert by_key["egress[0]"]["peer"]["sg"] == "sg-bp1peer00000000000001"


def test_quirks_masked_and_blank_values(monkeypatch: pytest.MonkeyPatch) -> None:
    sg = _sg(_case("quirks", monkeypatch), "sg-bp1quirks0a1b2c3d4e5")
    masked, blank = sg["rules"][3], sg["rules"][5]
    # A masked IPv6 source is unknown, not invalid and not "no peer".
    assert masked["peer"]["kind"] == "unknown"
    assert masked["provenance"]["peer"] == "unknown"
    # "" means unset: API defaults apply and say so.
    assert (blank["port_range"], blank["action"], blank["priority"]) == ("-1/-1", "accept", 1)
    assert {blank["provenance"][k] for k in ("port_range", "action", "priority")} == {"default"}
    assert blank["peer"]["kind"] == "none"
    assert all(r["description"] is None for r in sg["rules"])  # "" descriptions are absent


def test_sg_type_unknown_without_describe_security_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    sg = _sg(_case("quirks", monkeypatch), "sg-bp1quirks0a1b2c3d4e5")
    assert sg["type"] is None and sg["provenance"]["type"] == "unknown"
    assert (sg["origin"], sg["rules_known"], sg["inner_access_policy"]) == ("declared", True, "drop")
    assert sg["name"] == "quirks-sg" and sg["vpc_id"] == "vpc-bp1quirks00000000001"


def test_rule_lines_point_at_each_permission_object(monkeypatch: pytest.MonkeyPatch) -> None:
    sg = _sg(_case("quirks", monkeypatch), "sg-bp1quirks0a1b2c3d4e5")
    raw_file = CASES / "quirks" / "input" / "DescribeSecurityGroupAttribute.json"
    lines = raw_file.read_text().splitlines()
    starts = [r["loc"]["line"] for r in sg["rules"]]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for rule, start, end in zip(sg["rules"], starts, [*starts[1:], len(lines) + 1], strict=True):
        assert lines[start - 1].strip() == "{"
        block = "\n".join(lines[start - 1 : end - 1])
        assert f'"Direction": "{rule["direction"]}"' in block
    assert lines[sg["loc"]["line"] - 1].strip().startswith('"SecurityGroupId"')


# --------------------------------------------------------------------------- SG joins


def test_pages_merge_into_one_sg_with_type_from_the_list(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _case("pages", monkeypatch)
    assert [sg["key"] for sg in doc["security_groups"]] == ["sg-bp1paged9z8y7x6w5v4u"]
    sg = doc["security_groups"][0]
    raw = [
        *_raw_permissions(CASES / "pages" / "input" / "page1.json"),
        *_raw_permissions(CASES / "pages" / "input" / "page2.json"),
    ]
    distinct = {json.dumps(p, sort_keys=True) for p in raw}
    assert len(raw) == 5 and len(sg["rules"]) == len(distinct) == 4  # the overlap counts once
    assert [r["key"].split("/")[1] for r in sg["rules"]] == [
        "ingress[0]",
        "ingress[1]",
        "egress[0]",
        "ingress[2]",
    ]
    assert sg["rules"][3]["loc"]["file"].endswith("page2.json")
    assert (sg["type"], sg["provenance"]["type"]) == ("advanced", "given")
    # Enterprise SGs isolate members whatever InnerAccessPolicy says.
    assert (sg["inner_access_policy"], sg["provenance"]["inner_access_policy"]) == ("drop", "derived")


def test_page_order_does_not_change_the_rules(tmp_path: Path) -> None:
    src = CASES / "pages" / "input"
    forward, _ = _load(sorted(src.glob("*.json")))
    swapped = [
        _write(tmp_path / f"{n}.json", json.loads((src / f"page{3 - n}.json").read_text())) for n in (1, 2)
    ]
    backward, errors = _load([*swapped, src / "security-groups.json"])
    assert errors == []

    def content(doc: dict[str, Any]) -> set[str]:
        keep = ("direction", "protocol", "port_from", "port_to", "peer", "action", "priority")
        return {
            json.dumps({k: r[k] for k in keep}, sort_keys=True) for r in doc["security_groups"][0]["rules"]
        }

    assert content(forward) == content(backward)
    assert len(content(forward)) == 4


def test_list_only_gives_referenced_sgs_with_known_types(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _case("list_only", monkeypatch)
    raw = json.loads((CASES / "list_only" / "input" / "DescribeSecurityGroups.json").read_text())
    groups = raw["SecurityGroups"]["SecurityGroup"]
    assert [sg["id"] for sg in doc["security_groups"]] == [g["SecurityGroupId"] for g in groups]
    for sg, group in zip(doc["security_groups"], groups, strict=True):
        assert (sg["origin"], sg["rules_known"], sg["rules"]) == ("referenced", False, [])
        assert sg["type"] == {"normal": "basic", "enterprise": "advanced"}[group["SecurityGroupType"]]
        assert sg["name"] == group["SecurityGroupName"]
    normal, enterprise = doc["security_groups"]
    assert (normal["inner_access_policy"], normal["provenance"]["inner_access_policy"]) == (None, "unknown")
    assert enterprise["inner_access_policy"] == "drop"


def test_attribute_response_joined_with_list_and_listed_only_sg(tmp_path: Path) -> None:
    listed = {
        "SecurityGroups": {
            "SecurityGroup": [
                {"SecurityGroupId": "sg-a", "SecurityGroupName": "a-list", "SecurityGroupType": "normal"},
                {"SecurityGroupId": "sg-b", "SecurityGroupName": "b", "SecurityGroupType": "normal"},
            ]
        }
    }
    attribute = {"SecurityGroupId": "sg-a", "SecurityGroupName": "", "VpcId": "", "Permissions": {}}
    doc, errors = _load([_write(tmp_path / "l.json", listed), _write(tmp_path / "a.json", attribute)])
    assert errors == []
    a, b = _sg(doc, "sg-a"), _sg(doc, "sg-b")
    assert (a["origin"], a["name"], a["type"], a["rules"]) == ("declared", "a-list", "basic", [])
    assert (b["origin"], b["type"]) == ("referenced", "basic")


# --------------------------------------------------------------------------- clusters


def test_cluster_flannel_dedicated(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _case("cluster_flannel", monkeypatch)
    raw = json.loads((CASES / "cluster_flannel" / "input" / "DescribeClusterDetail.json").read_text())
    c = _cluster(doc, "legacy-dedicated")
    assert raw["cluster_type"] == "Kubernetes" and c["kind"] == "dedicated"
    assert c["security_group"] == raw["security_group_id"]
    assert (c["network_plugin"], c["provenance"]["network_plugin"]) == ("flannel", "given")
    assert [v["id"] for v in c["node_vswitches"]] == raw["vswitch_id"].split(",")
    assert _cidr(c["service_cidr"]) == raw["parameters"]["ServiceCIDR"]  # service_cidr is ""
    assert _cidr(c["pod_cidr"]) == raw["container_cidr"]
    # The intranet endpoint, not the public one.
    assert _cidr(c["api_server_address"]) == "192.168.0.251/32"
    assert _cidr(c["vpc"]["cidr"]) == json.loads(raw["meta_data"])["VpcCidr"]
    assert c["provenance"]["vpc.secondary_cidrs"] == "unknown"
    # The cluster's SG has no attribute response: assemble adds a referenced placeholder.
    sg = _sg(doc, raw["security_group_id"])
    assert (sg["origin"], sg["rules_known"]) == ("referenced", False)


def test_cluster_terway_with_vpc_vswitches_and_node_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _case("cluster_terway", monkeypatch)
    c = _cluster(doc, "prod-terway")
    assert c["kind"] == "managed"
    assert (c["network_plugin"], c["provenance"]["network_plugin"]) == ("terway", "derived")
    assert c["pod_cidr"] is None and "pod_cidr" not in c["provenance"]  # Terway has none
    # PodVswitchId lists the same vSwitch under two zones: one pod vSwitch.
    assert [(v["id"], _cidr(v["cidr"])) for v in c["pod_vswitches"]] == [
        ("vsw-bp1tpod00000000001", "10.2.0.0/16")
    ]
    assert [(v["id"], _cidr(v["cidr"])) for v in c["node_vswitches"]] == [
        ("vsw-bp1tnode0000000001", "10.1.0.0/16")
    ]
    assert _cidr(c["vpc"]["cidr"]) == "10.0.0.0/8"
    assert [_cidr(s) for s in c["vpc"]["secondary_cidrs"]] == ["11.0.0.0/16"]
    assert _cidr(c["api_server_address"]) == "10.1.0.9/32"
    assert c["is_enterprise_security_group"] is None
    assert c["provenance"]["is_enterprise_security_group"] == "unknown"
    (pool,) = c["node_pools"]
    assert pool["name"] == "gpu" and pool["key"] == "np1122334455667788990011aabbccdd"
    assert pool["security_groups"] == ["sg-bp1gpupool000000001", "sg-bp1terway00000000001"]
    assert c["sg_set"] == ["sg-bp1terway00000000001", "sg-bp1gpupool000000001"]


def test_masked_or_missing_meta_data_gives_unknowns_not_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _case("meta_unknown", monkeypatch)
    c = _cluster(doc, "opaque")
    prov = c["provenance"]
    assert c["kind"] == "unknown"  # ExternalKubernetes
    for name in (
        "network_plugin",
        "pod_cidr",
        "service_cidr",
        "vpc.cidr",
        "api_server_address",
        "pod_vswitches",
    ):
        assert prov[name] == "unknown", name
    assert c["network_plugin"] == "unknown"
    # A blank SG of an existing cluster is unknown: no "ACK creates one" placeholder.
    assert (c["security_group"], prov["security_group"], c["sg_set"]) == (None, "unknown", [])
    assert doc["security_groups"] == []


def test_cluster_kind_from_type_and_profile(tmp_path: Path) -> None:
    cases = {
        ("ManagedKubernetes", "Serverless"): "managed",
        ("Kubernetes", "Default"): "dedicated",
        ("ExternalKubernetes", "Default"): "unknown",
        ("", "Edge"): "managed",
        ("", "Default"): "unknown",
    }
    for i, ((ctype, profile), kind) in enumerate(cases.items()):
        body = {"cluster_id": f"c{i}", "cluster_type": ctype, "profile": profile, "security_group_id": "sg-x"}
        doc, errors = _load([_write(tmp_path / f"c{i}.json", body)])
        assert errors == [] and doc["clusters"][0]["kind"] == kind, (ctype, profile)


def test_plugin_inference_order(tmp_path: Path) -> None:
    def plugin(meta: Any, **fields: Any) -> tuple[str, str]:
        body = {
            "cluster_id": "c1",
            "cluster_type": "ManagedKubernetes",
            "security_group_id": "sg-1",
            **fields,
        }
        body["meta_data"] = meta if isinstance(meta, str) else json.dumps(meta)
        doc, errors = _load([_write(tmp_path / "c.json", body)])
        assert errors == []
        c = doc["clusters"][0]
        return c["network_plugin"], c["provenance"]["network_plugin"]

    assert plugin({"Capabilities": {"Network": "terway-eniip"}}) == ("terway", "given")
    assert plugin({"Addons": [{"name": "terway-eni"}]}, subnet_cidr="172.20.0.0/16") == ("terway", "derived")
    assert plugin({"PodVswitchId": '{"cn-hangzhou-i": ["vsw-1"]}'}) == ("terway", "derived")
    assert plugin({"Addons": [{"name": "kube-flannel-ds"}]}) == ("flannel", "derived")
    assert plugin({}, container_cidr="172.20.0.0/16") == ("flannel", "derived")
    assert plugin("not json {", parameters={"ContainerCIDR": "172.20.0.0/16"}) == ("flannel", "derived")
    assert plugin({"Addons": [{"name": "coredns"}]}) == ("unknown", "unknown")
    assert plugin("") == ("unknown", "unknown")


# --------------------------------------------------------------------------- node pools


def test_node_pools_find_their_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _case("nodepools_two_clusters", monkeypatch)
    east, west = _cluster(doc, "east"), _cluster(doc, "west")
    assert [p["name"] for p in east["node_pools"]] == ["by-file-name"]
    assert sorted(p["name"] for p in west["node_pools"]) == ["by-cluster-id", "by-directory"]
    by_file = east["node_pools"][0]
    # Exported without its SGs: unknown, not silently the cluster's SG.
    assert (by_file["security_groups"], by_file["provenance"]["security_groups"]) == (None, "unknown")
    by_id = next(p for p in west["node_pools"] if p["name"] == "by-cluster-id")
    assert by_id["security_groups"] == ["sg-bp1westpool00000001"]  # from security_group_id
    assert set(west["sg_set"]) == {"sg-bp1west000000000002", "sg-bp1westpool00000001"}


def _two_clusters(tmp_path: Path) -> list[Path]:
    return [
        _write(tmp_path / f"c{i}.json", {"cluster_id": f"c{i}aaaa", "cluster_type": "ManagedKubernetes"})
        for i in (1, 2)
    ]


def _pool(**extra: Any) -> dict[str, Any]:
    return {"nodepool_info": {"nodepool_id": "np1", "name": "p"}, "scaling_group": {}, **extra}


def test_node_pool_with_two_candidate_clusters_is_an_error(tmp_path: Path) -> None:
    clusters = _two_clusters(tmp_path)
    pool = _write(tmp_path / "pool.json", _pool())
    doc, errors = _load([*clusters, pool])
    assert len(errors) == 1 and errors[0].file == str(pool)
    assert "cannot tell which" in errors[0].message and errors[0].line == 2
    assert all(c["node_pools"] == [] for c in doc["clusters"])


def test_node_pool_without_its_cluster_gets_an_unknown_cluster(tmp_path: Path) -> None:
    pool = _write(tmp_path / "pool.json", _pool(scaling_group={"security_group_ids": ["sg-9"]}))
    doc, errors = _load([pool])
    assert errors == [] and schema_errors(doc) == []
    (cluster,) = doc["clusters"]
    assert cluster["key"] == f"{pool}#cluster" and cluster["cluster_id"] is None
    assert cluster["kind"] == "unknown" and cluster["network_plugin"] == "unknown"
    assert {cluster["provenance"][k] for k in ("cluster_id", "security_group", "pod_cidr", "vpc.cidr")} == {
        "unknown"
    }
    assert [p["key"] for p in cluster["node_pools"]] == ["np1"]
    assert cluster["sg_set"] == ["sg-9"]  # the pool's SG still gets evaluated in a cluster unit


def test_node_pool_naming_an_absent_cluster_gets_that_cluster(tmp_path: Path) -> None:
    clusters = _two_clusters(tmp_path)
    pools = [_write(tmp_path / f"pool{i}.json", _pool(cluster_id="c9zzzz")) for i in (1, 2)]
    pools[1].write_text(pools[1].read_text().replace('"np1"', '"np2"'))
    doc, errors = _load([*clusters, *pools])
    assert errors == []
    absent = _cluster_by_key(doc, "c9zzzz")
    assert absent["cluster_id"] == "c9zzzz" and absent["kind"] == "unknown"
    assert [p["key"] for p in absent["node_pools"]] == ["np1", "np2"]
    assert [c["key"] for c in doc["clusters"]] == ["c1aaaa", "c2aaaa", "c9zzzz"]


def _cluster_by_key(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in doc["clusters"] if c["key"] == key)


def test_node_pool_path_naming_two_clusters_is_an_error(tmp_path: Path) -> None:
    clusters = _two_clusters(tmp_path)
    pool = _write(tmp_path / "c1aaaa" / "c2aaaa.json", _pool())
    _, errors = _load([*clusters, pool])
    assert len(errors) == 1 and "several clusters" in errors[0].message


def test_duplicate_cluster_and_node_pool_are_errors(tmp_path: Path) -> None:
    c1, _ = _two_clusters(tmp_path)
    again = _write(tmp_path / "again.json", json.loads(c1.read_text()))
    pools = [_write(tmp_path / f"c1aaaa-{i}.json", _pool()) for i in (1, 2)]
    doc, errors = _load([c1, again, *pools])
    assert sorted(e.file for e in errors) == sorted([str(again), str(pools[1])])
    assert len(doc["clusters"]) == 1 and len(doc["clusters"][0]["node_pools"]) == 1


# --------------------------------------------------------------------------- bundle


def test_bundle_equals_the_same_responses_as_separate_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = _case("bundle", monkeypatch)
    entries = json.loads((CASES / "bundle" / "input" / "export.json").read_text())["responses"]
    files = []
    for i, entry in enumerate(entries):
        # Outside a bundle, a node pool names its cluster through its file name.
        name = f"{i:02d}-{entry['api']}" + (f".{entry['cluster_id']}" if "cluster_id" in entry else "")
        files.append(_write(tmp_path / f"{name}.json", entry["response"]))
    separate, errors = _load(files)
    assert errors == []

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("loc", "inputs")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    assert strip(separate) == strip(bundled)
    pool = _cluster(bundled, "bundled-2")["node_pools"][0]
    assert pool["name"] == "bundled-pool" and _cluster(bundled, "bundled")["node_pools"] == []
    # Lines inside a bundle point into the bundle file.
    text = (CASES / "bundle" / "input" / "export.json").read_text().splitlines()
    assert '"nodepool_id"' in text[pool["loc"]["line"] - 1]
    rule = _sg(bundled, "sg-bp1bundle0000000001")["rules"][1]
    assert text[rule["loc"]["line"]].strip().startswith('"SecurityGroupRuleId": "sgr-bp1bundle00000002"')


@pytest.mark.parametrize(
    ("bundle", "needle"),
    [
        ({"checkov_ack_export": 2, "responses": []}, "must be 1"),
        ({"checkov_ack_export": True, "responses": []}, "must be 1"),
        ({"checkov_ack_export": 1, "responses": {}}, "responses must be a list"),
        ({"checkov_ack_export": 1, "responses": [], "extra": 1}, "unknown top-level key"),
        ({"checkov_ack_export": 1, "responses": [[]]}, "must be an object"),
        (
            {"checkov_ack_export": 1, "responses": [{"api": "DescribeInstances", "response": {}}]},
            "api must be",
        ),
        (
            {
                "checkov_ack_export": 1,
                "responses": [{"api": "DescribeVpcs", "response": {"cluster_id": "c"}}],
            },
            "but api says DescribeVpcs",
        ),
        (
            {
                "checkov_ack_export": 1,
                "responses": [{"api": "DescribeVpcs", "response": {"Vpcs": {"Vpc": []}}, "x": 1}],
            },
            "unknown key",
        ),
        (
            {
                "checkov_ack_export": 1,
                "responses": [{"api": "DescribeVpcs", "cluster_id": "c1", "response": {"Vpcs": {"Vpc": []}}}],
            },
            "cluster_id belongs on node pool",
        ),
    ],
)
def test_bad_bundles_are_errors(tmp_path: Path, bundle: dict[str, Any], needle: str) -> None:
    good = _write(tmp_path / "good.json", {"SecurityGroupId": "sg-1", "Permissions": {"Permission": []}})
    bad = _write(tmp_path / "bundle.json", bundle)
    doc, errors = _load([bad, good])
    assert len(errors) == 1 and errors[0].file == str(bad) and needle in errors[0].message, errors
    assert errors[0].line is not None
    # The other file is still read.
    assert [sg["key"] for sg in doc["security_groups"]] == ["sg-1"]
    assert doc["inputs"] == [{"file": str(good), "kind": "api_export"}]


# --------------------------------------------------------------------------- bad input


def _attribute(*perms: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {
        "SecurityGroupId": "sg-1",
        "SecurityGroupName": "one",
        "Permissions": {"Permission": list(perms)},
        **top,
    }


@pytest.mark.parametrize(
    ("content", "needle", "line"),
    [
        ('{\n  "SecurityGroupId": "sg-1",\n  "Permissions": {,}\n}', "invalid JSON", 3),
        ({"hello": "world"}, "not an API response", None),
        ([{"SecurityGroupId": "sg-1"}], "not an API response", None),
        (_attribute(Permissions=[]), "Permissions must be an object", 4),
        (_attribute(Permissions={"Permission": {}}), "must be a list", 5),
        (_attribute(Permissions={"Permission": ["x"]}), "must be an object", 6),
        (_attribute({"Direction": "both", "IpProtocol": "TCP"}), "Direction must be ingress or egress", 6),
        (_attribute({"IpProtocol": "TCP"}), "Direction must be ingress or egress", 6),
        (_attribute(SecurityGroupId=""), "SecurityGroupId is empty", 2),
        ({"SecurityGroups": {"SecurityGroup": [{"SecurityGroupName": "x"}]}}, "no SecurityGroupId", 4),
        ({"SecurityGroups": {"SecurityGroup": {}}}, "must be a list", 3),
        ({"cluster_id": "", "cluster_type": "Kubernetes"}, "cluster_id is empty", 2),
        (
            {"cluster_id": "c1", "cluster_type": "Kubernetes", "parameters": []},
            "parameters must be an object",
            4,
        ),
        ({"nodepool_info": {"created": "x"}}, "nodepool_id or nodepool_info.name", None),
        ({"nodepool_info": [], "scaling_group": {}}, "nodepool_info must be an object", 2),
        ({"nodepools": [1]}, "must be an object", 3),
        ({"VSwitches": {"VSwitch": "vsw-1"}}, "must be a list", 3),
        (_attribute(InnerAccessPolicy="Maybe"), "InnerAccessPolicy must be Accept or Drop", 7),
        (
            _attribute({"Direction": "ingress", "IpProtocol": ["TCP"]}),
            "IpProtocol must be a string or a number",
            8,
        ),
        ({"cluster_id": "c1", "cluster_type": "Kubernetes", "name": {"a": 1}}, "name must be a string", 4),
        ({"nodepool_info": {"nodepool_id": "np1", "name": True}}, "name must be a string", 4),
    ],
)
def test_bad_files_are_input_errors(tmp_path: Path, content: Any, needle: str, line: int | None) -> None:
    bad = _write(tmp_path / "bad.json", content)
    doc, errors = _load([bad])
    assert len(errors) == 1, errors
    assert errors[0].file == str(bad) and needle in errors[0].message, errors[0]
    if line is not None:
        assert errors[0].line == line
    assert doc["inputs"] == [] and doc["security_groups"] == [] and doc["clusters"] == []


def test_unreadable_and_binary_files_are_errors(tmp_path: Path) -> None:
    binary = tmp_path / "b.json"
    binary.write_bytes(b'{"a": "\x00"}')
    missing = tmp_path / "missing.json"
    _, errors = _load([binary, missing])
    assert [e.file for e in errors] == [str(binary), str(missing)]


def test_pages_that_disagree_are_not_merged(tmp_path: Path) -> None:
    ingress = {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"}
    first = _write(tmp_path / "a.json", _attribute(ingress, NextToken="t1"))
    other = _write(
        tmp_path / "b.json", _attribute({**ingress, "PortRange": "80/80"}, SecurityGroupName="two")
    )
    doc, errors = _load([first, other])
    assert len(errors) == 2
    assert errors[0].file == str(other) and "SecurityGroupName" in errors[0].message
    assert errors[0].line == 3
    # Without its disagreeing page, the SG's only page still has a NextToken: incomplete.
    assert errors[1].file == str(first) and "last page is missing" in errors[1].message
    assert doc["security_groups"] == []


def test_missing_last_page_is_an_error_and_complete_chains_are_not(tmp_path: Path) -> None:
    rule = {"Direction": "egress", "IpProtocol": "ALL", "PortRange": "-1/-1", "DestCidrIp": "0.0.0.0/0"}
    page1 = _write(tmp_path / "p1.json", _attribute(rule, NextToken="t1"))
    page2 = _write(tmp_path / "p2.json", _attribute({**rule, "DestCidrIp": "10.0.0.0/8"}, NextToken="t2"))
    _, errors = _load([page1, page2])
    assert len(errors) == 1 and "NextToken" in errors[0].message and errors[0].file == str(page2)
    listing = {
        "SecurityGroups": {"SecurityGroup": [{"SecurityGroupId": "sg-1", "SecurityGroupType": "normal"}]}
    }
    doc, errors = _load([page1, page2, _write(tmp_path / "list.json", listing)])
    # Left out as declared, the SG is still known from the list: type known, rules unknown.
    assert len(errors) == 1
    assert [(sg["origin"], sg["type"], sg["rules_known"]) for sg in doc["security_groups"]] == [
        ("referenced", "basic", False)
    ]
    last = _write(tmp_path / "p3.json", _attribute({**rule, "DestCidrIp": "10.1.0.0/16"}, NextToken=""))
    doc, errors = _load([page1, page2, last])
    assert errors == [] and len(doc["security_groups"][0]["rules"]) == 3


def test_list_type_conflict_is_an_error(tmp_path: Path) -> None:
    def listing(kind: str) -> dict[str, Any]:
        return {"SecurityGroups": {"SecurityGroup": [{"SecurityGroupId": "sg-1", "SecurityGroupType": kind}]}}

    a, b = _write(tmp_path / "a.json", listing("normal")), _write(tmp_path / "b.json", listing("enterprise"))
    doc, errors = _load([a, b])
    assert len(errors) == 1 and errors[0].file == str(b) and errors[0].line == 4
    assert doc["security_groups"][0]["type"] == "basic"  # the first listing is kept


def test_rule_ids_are_keys_and_duplicates_count_once(tmp_path: Path) -> None:
    rule = {"SecurityGroupRuleId": "sgr-1", "Direction": "ingress", "IpProtocol": "TCP", "PortRange": "22/22"}
    same_id = {**rule, "Description": "re-exported later"}
    doc, errors = _load([_write(tmp_path / "a.json", _attribute(rule, same_id))])
    assert errors == []
    assert [r["key"] for r in doc["security_groups"][0]["rules"]] == ["sgr-1"]


# --------------------------------------------------------------------------- sniffing


def test_sniff_claims_each_response_shape(tmp_path: Path) -> None:
    shapes = {
        "attr": _attribute(),
        "list": {"SecurityGroups": {"SecurityGroup": []}},
        "cluster": {"cluster_id": "c1", "cluster_type": "ManagedKubernetes"},
        "cluster_sg": {"cluster_id": "c1", "security_group_id": "sg-1"},
        "pool": {"nodepool_info": {"nodepool_id": "np1"}},
        "scaling": {"scaling_group": {"security_group_ids": []}},
        "pools": {"nodepools": []},
        "vsw": {"VSwitches": {"VSwitch": []}},
        "vpc": {"Vpcs": {"Vpc": []}},
        "bundle": {"checkov_ack_export": 1, "responses": []},
    }
    for name, obj in shapes.items():
        path = _write(tmp_path / f"{name}.json", obj)
        assert api_export.sniff(path, path.read_text()), name


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "pkg", "version": "1.0.0", "dependencies": {"left-pad": "1"}}',
        '{"format_version": "1.2", "terraform_version": "1.8.4", "planned_values": {"root_module": {}}}',
        '{"ROSTemplateFormatVersion": "2015-09-01", "Resources": {"Sg": {"Type":'
        ' "ALIYUN::ECS::SecurityGroup", "Properties": {"SecurityGroupId": "x", "Permissions": []}}}}',
        '{"format_version": "1.2", "SecurityGroupId": "sg-1", "Permissions": {}}',
        '[{"SecurityGroupId": "sg-1", "Permissions": {}}]',
        '{"cluster_id": "c1"}',
        "SecurityGroupId: sg-1\nPermissions: {}\n",
        "",
    ],
)
def test_sniff_rejects_other_json(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path / "x.json", text)
    assert not api_export.sniff(path, text)


def test_directory_scan_routes_api_files_and_skips_others(tmp_path: Path) -> None:
    _write(tmp_path / "package.json", {"name": "x", "version": "1"})
    _write(
        tmp_path / "sg.json", _attribute({"Direction": "ingress", "IpProtocol": "ICMP", "PortRange": "-1/-1"})
    )
    result = load_paths([tmp_path], AdapterOptions())
    assert result.errors == []
    assert result.skipped == [str(tmp_path / "package.json")]
    doc = assemble(result.parts, Settings())
    assert doc["inputs"] == [{"file": str(tmp_path / "sg.json"), "kind": "api_export"}]
    assert doc["security_groups"][0]["rules"][0]["protocol"] == "icmp"


def test_masked_rule_ids_are_not_keys(tmp_path: Path) -> None:
    rule = {
        "SecurityGroupRuleId": "sgr-bp1****",
        "Direction": "ingress",
        "IpProtocol": "TCP",
        "PortRange": "22/22",
    }
    other = {**rule, "PortRange": "80/80"}
    doc, errors = _load([_write(tmp_path / "a.json", _attribute(rule, other))])
    assert errors == []
    assert [r["key"] for r in doc["security_groups"][0]["rules"]] == ["sg-1/ingress[0]", "sg-1/ingress[1]"]


def test_a_file_given_twice_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cluster = _write(tmp_path / "c.json", {"cluster_id": "c1", "cluster_type": "Kubernetes"})
    monkeypatch.chdir(tmp_path)
    doc, errors = _load([cluster, Path("c.json"), Path("./c.json")])
    assert errors == [] and len(doc["clusters"]) == 1 and len(doc["inputs"]) == 1


def test_node_pool_joins_the_only_cluster_in_its_directory(tmp_path: Path) -> None:
    east = _write(tmp_path / "east" / "cluster.json", {"cluster_id": "c1aaaa", "cluster_type": "Kubernetes"})
    west = _write(tmp_path / "west" / "cluster.json", {"cluster_id": "c2aaaa", "cluster_type": "Kubernetes"})
    pool = _write(tmp_path / "west" / "pools.json", _pool())
    doc, errors = _load([east, west, pool])
    assert errors == []
    assert _cluster_by_key(doc, "c2aaaa")["node_pools"][0]["key"] == "np1"
    assert _cluster_by_key(doc, "c1aaaa")["node_pools"] == []


def test_masked_sg_ids_that_disagree_are_different_sgs(tmp_path: Path) -> None:
    rule = {"Direction": "ingress", "IpProtocol": "TCP", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"}
    one = _write(tmp_path / "a.json", _attribute(rule, SecurityGroupId="sg-bp1****", SecurityGroupName="one"))
    two = _write(tmp_path / "b.json", _attribute(rule, SecurityGroupId="sg-bp1****", SecurityGroupName="two"))
    listing = {
        "SecurityGroups": {
            "SecurityGroup": [
                {
                    "SecurityGroupId": "sg-bp1****",
                    "SecurityGroupName": "two",
                    "SecurityGroupType": "enterprise",
                }
            ]
        }
    }
    doc, errors = _load([one, two, _write(tmp_path / "l.json", listing)])
    assert errors == [] and schema_errors(doc) == []
    first, second = doc["security_groups"]
    assert (first["key"], first["name"], first["type"]) == ("sg-bp1****", "one", None)
    assert (second["key"], second["name"], second["type"]) == (f"sg-bp1****@{two}:2", "two", "advanced")
    assert second["id"] == "sg-bp1****"
    assert second["rules"][0]["key"] == f"sg-bp1****@{two}:2/ingress[0]"
