"""Plan adapter: how configuration references tie unknown values, on small inline plans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from checkov_ack.adapters import terraform_plan
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.model.assemble import assemble
from checkov_ack.model.document import UNKNOWN
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings

SG_TYPE = "alicloud_security_group"
RULE_TYPE = "alicloud_security_group_rule"


def _instance(
    type_: str, name: str, values: dict[str, Any], unknown: dict[str, Any], index: Any = None
) -> Any:
    address = f"{type_}.{name}" + ("" if index is None else f"[{json.dumps(index)}]")
    planned = {"address": address, "mode": "managed", "type": type_, "name": name, "values": values}
    change = {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name,
        "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": unknown},
    }
    if index is not None:
        planned["index"] = change["index"] = index
    return planned, change


def _plan(
    instances: list[tuple[dict[str, Any], dict[str, Any]]],
    config: list[dict[str, Any]],
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "variables": {k: {"value": v} for k, v in (variables or {}).items()},
        "planned_values": {"root_module": {"resources": [p for p, _ in instances]}},
        "resource_changes": [c for _, c in instances],
        "configuration": {"root_module": {"resources": config}},
    }


def _config(type_: str, name: str, expressions: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"{type_}.{name}",
        "mode": "managed",
        "type": type_,
        "name": name,
        "expressions": expressions,
    }


def _doc(tmp_path: Path, plan: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=1))
    parts, errors = terraform_plan.load([path], AdapterOptions())
    assert errors == []
    doc = assemble(parts, Settings())
    assert schema_errors(doc) == []
    return doc


def _rule_sg(doc: dict[str, Any]) -> dict[str, str]:
    return {r["address"]: sg["key"] for sg in doc["security_groups"] for r in sg["rules"]}


RULE_VALUES = {"type": "ingress", "ip_protocol": "tcp", "port_range": "22/22", "cidr_ip": "10.0.0.0/8"}


def test_var_list_indexed_by_count_index_picks_the_instance_element(tmp_path: Path) -> None:
    ids = ["sg-bp1aaaaaaaaaaaaaaa", "sg-bp1bbbbbbbbbbbbbbb"]
    # A variable is known at plan time, so the value is in the plan already...
    rules = [_instance(RULE_TYPE, "r", {**RULE_VALUES, "security_group_id": ids[i]}, {}, i) for i in range(2)]
    config = [_config(RULE_TYPE, "r", {"security_group_id": {"references": ["var.ids", "count.index"]}})]
    assert _rule_sg(_doc(tmp_path, _plan(rules, config, {"ids": ids}))) == {
        "alicloud_security_group_rule.r[0]": ids[0],
        "alicloud_security_group_rule.r[1]": ids[1],
    }
    # ...and when a value is unknown, the configuration picks the same element.
    rules = [_instance(RULE_TYPE, "r", dict(RULE_VALUES), {"security_group_id": True}, i) for i in range(2)]
    assert _rule_sg(_doc(tmp_path, _plan(rules, config, {"ids": ids}))) == {
        "alicloud_security_group_rule.r[0]": ids[0],
        "alicloud_security_group_rule.r[1]": ids[1],
    }


def test_each_value_reference_cannot_be_told(tmp_path: Path) -> None:
    rules = [_instance(RULE_TYPE, "r", dict(RULE_VALUES), {"security_group_id": True}, "a")]
    config = [_config(RULE_TYPE, "r", {"security_group_id": {"references": ["each.value.sg", "each.value"]}})]
    doc = _doc(tmp_path, _plan(rules, config))
    (sg,) = doc["security_groups"]
    assert sg["origin"] == "referenced" and sg["provenance"]["id"] == "unknown"
    assert [r["address"] for r in sg["rules"]] == ['alicloud_security_group_rule.r["a"]']


def test_splat_reference_for_a_single_sg_is_ambiguous(tmp_path: Path) -> None:
    sgs = [_instance(SG_TYPE, "s", {"security_group_name": f"s{i}"}, {"id": True}, i) for i in range(2)]
    rule = _instance(RULE_TYPE, "r", dict(RULE_VALUES), {"security_group_id": True})
    config = [
        _config(SG_TYPE, "s", {}),
        _config(RULE_TYPE, "r", {"security_group_id": {"references": ["alicloud_security_group.s"]}}),
    ]
    doc = _doc(tmp_path, _plan([*sgs, rule], config))
    owner = {sg["key"]: sg for sg in doc["security_groups"]}[_rule_sg(doc)["alicloud_security_group_rule.r"]]
    assert owner["origin"] == "referenced"  # not silently the first of the two


def test_pool_sg_list_with_unresolvable_part_is_unknown(tmp_path: Path) -> None:
    cluster = _instance(
        "alicloud_cs_managed_kubernetes", "k", {"name": "k"}, {"id": True, "security_group_id": True}
    )
    sg = _instance(SG_TYPE, "s", {"security_group_name": "s"}, {"id": True})
    pool = _instance(
        "alicloud_cs_kubernetes_node_pool",
        "p",
        {"node_pool_name": "p"},
        {"id": True, "cluster_id": True, "security_group_ids": True},
    )
    config = [
        _config(SG_TYPE, "s", {}),
        _config("alicloud_cs_managed_kubernetes", "k", {}),
        _config(
            "alicloud_cs_kubernetes_node_pool",
            "p",
            {
                "cluster_id": {
                    "references": ["alicloud_cs_managed_kubernetes.k.id", "alicloud_cs_managed_kubernetes.k"]
                },
                "security_group_ids": {
                    "references": ["alicloud_security_group.s.id", "alicloud_security_group.s", "local.more"]
                },
            },
        ),
    ]
    doc = _doc(tmp_path, _plan([cluster, sg, pool], config))
    (c,) = doc["clusters"]
    (p,) = c["node_pools"]
    assert p["security_groups"] is None and p["provenance"]["security_groups"] == "unknown"
    # the cluster itself sets no SG: ACK creates one
    assert c["provenance"]["security_group"] == "default"


def test_partially_unknown_list_keeps_known_elements_in_place(tmp_path: Path) -> None:
    sg = _instance(SG_TYPE, "s", {"security_group_name": "s"}, {"id": True})
    pool = _instance(
        "alicloud_cs_kubernetes_node_pool",
        "p",
        {"node_pool_name": "p", "cluster_id": "c0x", "security_group_ids": ["sg-bp1known000000001", None]},
        {"id": True, "security_group_ids": [False, True]},
    )
    config = [
        _config(SG_TYPE, "s", {}),
        _config(
            "alicloud_cs_kubernetes_node_pool",
            "p",
            {
                "security_group_ids": {
                    "references": ["alicloud_security_group.s.id", "alicloud_security_group.s"]
                }
            },
        ),
    ]
    doc = _doc(tmp_path, _plan([sg, pool], config))
    (c,) = doc["clusters"]
    (p,) = c["node_pools"]
    assert p["security_groups"][0] == "sg-bp1known000000001"
    assert p["security_groups"][1].endswith(":alicloud_security_group.s")


def test_other_attribute_of_an_sg_is_not_its_id(tmp_path: Path) -> None:
    sg = _instance(SG_TYPE, "s", {"security_group_name": "s"}, {"id": True, "vpc_id": True})
    rule = _instance(RULE_TYPE, "r", dict(RULE_VALUES), {"security_group_id": True})
    config = [
        _config(SG_TYPE, "s", {}),
        _config(
            RULE_TYPE,
            "r",
            {
                "security_group_id": {
                    "references": ["alicloud_security_group.s.vpc_id", "alicloud_security_group.s"]
                }
            },
        ),
    ]
    doc = _doc(tmp_path, _plan([sg, rule], config))
    assert not _rule_sg(doc)["alicloud_security_group_rule.r"].endswith(":alicloud_security_group.s")


def test_overlay_marks_unknown_leaves_without_inventing_structure() -> None:
    overlay = terraform_plan._overlay_unknown
    assert overlay({"a": 1}, {}) == {"a": 1}
    assert overlay(None, {"x": False}) is None
    got = overlay({"a": 1, "l": [None, "k"]}, {"b": True, "l": [True, False]})
    assert got["a"] == 1 and got["b"] is UNKNOWN and got["l"][0] is UNKNOWN and got["l"][1] == "k"
    assert overlay({"blocks": [{"n": "x"}]}, {"blocks": [{"c": True}]}) == {
        "blocks": [{"n": "x", "c": UNKNOWN}]
    }


def _pool_with(tmp_path: Path, value: Any, marks: Any, refs: list[str], n_sgs: int = 3) -> dict[str, Any]:
    sgs = [_instance(SG_TYPE, f"s{i}", {"security_group_name": f"s{i}"}, {"id": True}) for i in range(n_sgs)]
    pool = _instance(
        "alicloud_cs_kubernetes_node_pool",
        "p",
        {"node_pool_name": "p", "cluster_id": "c0x", "security_group_ids": value},
        {"id": True, "security_group_ids": marks},
    )
    # the cluster exists (known ID) and sets no SG: ACK created one, which a pool may inherit
    cluster = _instance("alicloud_cs_managed_kubernetes", "k", {"id": "c0x", "name": "k"}, {})
    sgs.append(cluster)
    config = [_config(SG_TYPE, f"s{i}", {}) for i in range(n_sgs)]
    config.append(_config("alicloud_cs_managed_kubernetes", "k", {}))
    config.append(
        _config("alicloud_cs_kubernetes_node_pool", "p", {"security_group_ids": {"references": refs}}),
    )
    (cluster,) = _doc(tmp_path, _plan([*sgs, pool], config))["clusters"]
    (result,) = cluster["node_pools"]
    return dict(result)


def test_pool_sgs_from_each_value_are_unknown_not_inherited(tmp_path: Path) -> None:
    pool = _pool_with(tmp_path, None, True, ["each.value.sgs", "each.value"])
    assert pool["security_groups"] is None and pool["provenance"]["security_groups"] == "unknown"


def test_more_references_than_unknown_slots_is_unknown(tmp_path: Path) -> None:
    refs = [f"alicloud_security_group.s{i}.id" for i in range(3)]
    pool = _pool_with(tmp_path, [None, None], [True, True], refs)
    assert pool["security_groups"] is None and pool["provenance"]["security_groups"] == "unknown"
    # as many references as slots: filled in order
    pool = _pool_with(tmp_path, [None, None], [True, True], refs[:2])
    assert [s.rsplit(".", 1)[1] for s in pool["security_groups"]] == ["s0", "s1"]


def test_prior_state_only_objects_are_no_op_and_deletes_fall_back_to_prior_state(tmp_path: Path) -> None:
    kept = {"id": "sg-bp1kept0000000001", "security_group_name": "kept"}
    gone = {"id": "sg-bp1gone0000000001", "security_group_name": "gone"}
    state = [
        {"address": f"{SG_TYPE}.{name}", "mode": "managed", "type": SG_TYPE, "name": name, "values": values}
        for name, values in (("kept", kept), ("gone", gone))
    ]
    plan = {
        "format_version": "1.2",
        "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": state}}},
        # a -target plan that only deletes `gone`, with no `before` recorded
        "resource_changes": [
            {
                "address": f"{SG_TYPE}.gone",
                "mode": "managed",
                "type": SG_TYPE,
                "name": "gone",
                "change": {"actions": ["delete"], "before": None, "after": None},
            }
        ],
    }
    sgs = {sg["name"]: sg for sg in _doc(tmp_path, plan)["security_groups"]}
    assert (sgs["kept"]["key"], sgs["kept"]["change"]) == ("sg-bp1kept0000000001", "no-op")
    assert (sgs["gone"]["key"], sgs["gone"]["change"]) == ("sg-bp1gone0000000001", "delete")


def test_network_plugin_sources_in_order() -> None:
    plugin = terraform_plan._Builder._network_plugin
    assert plugin([{"name": "terway-eniip"}], [], "172.20.0.0/16") == "terway"  # the addon decides
    assert plugin([{"name": "flannel"}], ["vsw-1"], None) == "flannel"
    assert plugin([{"name": "csi-plugin"}], [], "172.20.0.0/16", "terway") == "terway"  # old plans
    assert plugin(None, ["vsw-1"], None) == "terway"
    assert plugin(UNKNOWN, [], "172.20.0.0/16") == "flannel"
    assert plugin(UNKNOWN, UNKNOWN, UNKNOWN) is None
