"""Properties of the API export adapter: paging is invisible, junk never crashes, lines are right."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkov_ack.adapters import api_export
from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.errors import InputError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.schema import schema_errors
from checkov_ack.model.settings import Settings

_CIDRS = st.sampled_from(["", "0.0.0.0/0", "10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "fe80::***", "bad"])
_PERMISSION = st.fixed_dictionaries(
    {
        "Direction": st.sampled_from(["ingress", "egress", "Ingress"]),
        "IpProtocol": st.sampled_from(["TCP", "UDP", "ICMP", "ALL", "GRE", "tcp", ""]),
        "PortRange": st.sampled_from(["22/22", "1/65535", "-1/-1", "", "80", "200/1"]),
        "Policy": st.sampled_from(["Accept", "Drop", "accept", ""]),
        "Priority": st.one_of(st.integers(-5, 120), st.sampled_from(["1", "100", "", "x"])),
        "SourceCidrIp": _CIDRS,
        "DestCidrIp": _CIDRS,
        "Ipv6SourceCidrIp": _CIDRS,
        "SourceGroupId": st.sampled_from(["", "sg-peer", "sg-bp1****"]),
        "DestGroupId": st.sampled_from(["", "sg-peer"]),
        "SourcePrefixListId": st.sampled_from(["", "pl-1"]),
        "NicType": st.sampled_from(["intranet", "internet", ""]),
        "Description": st.text(max_size=5),
    }
)


def _load(paths: list[Path]) -> tuple[dict[str, Any], list[InputError]]:
    parts, errors = api_export.load(paths, AdapterOptions())
    return assemble(parts, Settings()), errors


def _attribute(perms: list[dict[str, Any]], token: str) -> dict[str, Any]:
    return {
        "SecurityGroupId": "sg-prop",
        "SecurityGroupName": "prop",
        "VpcId": "vpc-1",
        "InnerAccessPolicy": "Accept",
        "Permissions": {"Permission": perms},
        "NextToken": token,
    }


def _without_loc(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "loc"} for r in rules]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(perms=st.lists(_PERMISSION, max_size=12), cuts=st.lists(st.integers(0, 12), max_size=4))
def test_splitting_into_pages_changes_nothing_but_locations(
    perms: list[dict[str, Any]], cuts: list[int]
) -> None:
    bounds = sorted({0, len(perms), *(c for c in cuts if c <= len(perms))})
    pages = [perms[a:b] for a, b in zip(bounds, bounds[1:], strict=False)] or [[]]
    with tempfile.TemporaryDirectory() as tmp:
        whole = Path(tmp) / "whole.json"
        whole.write_text(json.dumps(_attribute(perms, "")))
        paged = []
        for i, page in enumerate(pages):
            path = Path(tmp) / "pages" / f"p{i:02d}.json"
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(_attribute(page, "" if i == len(pages) - 1 else f"t{i}"), indent=1))
            paged.append(path)
        one, errors_one = _load([whole])
        many, errors_many = _load(paged)
    assert errors_one == errors_many == []
    assert schema_errors(one) == [] and schema_errors(many) == []
    rules_one = one["security_groups"][0]["rules"]
    assert _without_loc(rules_one) == _without_loc(many["security_groups"][0]["rules"])
    distinct = {json.dumps(p, sort_keys=True) for p in perms}
    assert len(rules_one) == len(distinct)


_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
_KEYS = [
    "SecurityGroupId",
    "Permissions",
    "SecurityGroups",
    "cluster_id",
    "cluster_type",
    "security_group_id",
    "meta_data",
    "master_url",
    "vswitch_ids",
    "vswitch_id",
    "parameters",
    "nodepool_info",
    "scaling_group",
    "nodepools",
    "VSwitches",
    "Vpcs",
    "checkov_ack_export",
    "responses",
]


@settings(max_examples=75, deadline=None)
@given(body=st.dictionaries(st.sampled_from(_KEYS), _JUNK, min_size=1, max_size=6))
def test_junk_in_known_shapes_is_an_input_error_or_a_valid_document(body: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "junk.json"
        path.write_text(json.dumps(body))
        doc, errors = _load([path])
    assert all(isinstance(e, InputError) and e.file == str(path) for e in errors)
    assert schema_errors(doc) == []


_TREE = st.recursive(
    st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=75, deadline=None)
@given(tree=st.dictionaries(st.text(max_size=5), _TREE, max_size=4))
def test_json_lines_finds_each_key(tree: dict[str, Any]) -> None:
    text = json.dumps(tree, indent=2)
    lines = text.splitlines()
    found = api_export._json_lines(text)

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        if len(path) > 8:
            return
        if isinstance(value, dict):
            for key, child in value.items():
                here = (*path, key)
                if len(here) <= 8:
                    assert lines[found[here] - 1].lstrip().startswith(json.dumps(key) + ":")
                walk(child, here)
        elif isinstance(value, list):
            for i, child in enumerate(value):
                walk(child, (*path, i))

    walk(tree, ())


_PERM_KEYS = st.sampled_from(list(api_export._PERMISSION_FIELDS))
_CLUSTER_KEYS = st.sampled_from(
    [*api_export._CLUSTER_FIELDS, "vswitch_ids", "meta_data", "master_url", "parameters", "cluster_id"]
)


@settings(max_examples=75, deadline=None)
@given(
    perm=st.dictionaries(_PERM_KEYS, _JUNK, max_size=6),
    top=st.dictionaries(st.sampled_from(list(api_export._SG_FIELDS)), _JUNK, max_size=3),
    cluster=st.dictionaries(_CLUSTER_KEYS, _JUNK, max_size=6),
    pool=st.dictionaries(st.sampled_from(["nodepool_id", "name"]), _JUNK, max_size=2),
    group=st.dictionaries(st.sampled_from(["security_group_id", "security_group_ids", "vswitch_ids"]), _JUNK),
)
def test_junk_values_inside_responses(
    perm: dict[str, Any],
    top: dict[str, Any],
    cluster: dict[str, Any],
    pool: dict[str, Any],
    group: dict[str, Any],
) -> None:
    files = {
        "sg.json": {
            "SecurityGroupId": "sg-1",
            "Permissions": {"Permission": [{"Direction": "ingress", **perm}]},
            **top,
        },
        "cluster.json": {"cluster_id": "c1", "cluster_type": "ManagedKubernetes", **cluster},
        "pool.json": {"nodepool_info": pool, "scaling_group": group},
    }
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, body in files.items():
            path = Path(tmp) / name
            path.write_text(json.dumps(body))
            paths.append(path)
        doc, errors = _load(paths)
    assert all(isinstance(e, InputError) for e in errors)
    assert schema_errors(doc) == []


_META = st.dictionaries(
    st.sampled_from(["Addons", "Capabilities", "PodVswitchId", "VpcCidr"]),
    _JUNK | st.lists(st.dictionaries(st.sampled_from(["name", "config"]), _JUNK), max_size=2),
    max_size=4,
)


@settings(max_examples=75, deadline=None)
@given(meta=_META, encode=st.booleans(), master=_JUNK)
def test_junk_meta_data_and_master_url(meta: dict[str, Any], encode: bool, master: Any) -> None:
    body = {
        "cluster_id": "c1",
        "cluster_type": "ManagedKubernetes",
        "meta_data": json.dumps(meta) if encode else meta,
        "master_url": master,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.json"
        path.write_text(json.dumps(body))
        doc, errors = _load([path])
    assert errors == []
    assert schema_errors(doc) == []
    assert doc["clusters"][0]["network_plugin"] in ("flannel", "terway", "unknown")
