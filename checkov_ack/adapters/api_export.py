"""Alibaba Cloud API exports: raw `aliyun` CLI responses (one per file) or a checkov-ack bundle.

All API files of one scan are read together because the responses complement each other:
DescribeSecurityGroupAttribute pages carry the rules, DescribeSecurityGroups the SG type,
DescribeClusterDetail the cluster, DescribeClusterNodePoolDetail its node pools, and
DescribeVSwitches / DescribeVpcs the CIDRs the cluster responses only name by ID.
The format, the joins and every inference are described in docs/api-export-format.md.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from checkov_ack.adapters.common import AdapterOptions, LineIndex, load_json, read_text
from checkov_ack.errors import InputError
from checkov_ack.model.document import (
    UNKNOWN,
    ClusterInput,
    Json,
    NodePoolInput,
    RuleInput,
    SecurityGroupInput,
    VSwitchInput,
    empty_part,
    external_cluster,
    make_cluster,
    make_rule,
    make_security_group,
)

KIND = "api_export"

BUNDLE_KEY = "checkov_ack_export"
BUNDLE_VERSION = 1

SG_ATTRIBUTE = "DescribeSecurityGroupAttribute"
SG_LIST = "DescribeSecurityGroups"
CLUSTER = "DescribeClusterDetail"
NODE_POOL = "DescribeClusterNodePoolDetail"
NODE_POOLS = "DescribeClusterNodePools"
VSWITCHES = "DescribeVSwitches"
VPCS = "DescribeVpcs"
APIS = (SG_ATTRIBUTE, SG_LIST, CLUSTER, NODE_POOL, NODE_POOLS, VSWITCHES, VPCS)

_BUNDLE_ENTRY_KEYS = {"api", "response", "cluster_id"}
# Cheap pre-filter for sniff(): a file without any of these keys cannot be one of our shapes.
_MARKERS = (
    f'"{BUNDLE_KEY}"',
    '"SecurityGroupId"',
    '"SecurityGroups"',
    '"cluster_id"',
    '"nodepool_info"',
    '"scaling_group"',
    '"nodepools"',
    '"VSwitches"',
    '"Vpcs"',
)
# Top-level keys of the other JSON kinds; a file with one of them is never an API response.
_FOREIGN_KEYS = ("ROSTemplateFormatVersion", "format_version", "terraform_version", "planned_values")

Path_ = tuple[Any, ...]


# --------------------------------------------------------------------------- line numbers


_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_LINE_DEPTH = 8  # bundle entry (3) + response path (up to 4) + one spare


def _json_lines(text: str) -> dict[Path_, int]:
    """Line of every object key and array item down to `_LINE_DEPTH`, by JSON path.

    json.loads keeps no positions, so the (already validated) text is walked once more: keys and
    brackets in Python, every scalar and every subtree below the depth limit by the C decoder.
    """
    index = LineIndex(text)
    lines: dict[Path_, int] = {}

    def skip(pos: int) -> int:
        match = _WS.match(text, pos)
        return match.end() if match else pos

    def value(pos: int, path: Path_) -> int:
        """Walk the value at `pos` (no leading blanks); return the position after it."""
        opener = text[pos]
        if opener not in "{[" or len(path) >= _LINE_DEPTH:
            return int(_DECODER.raw_decode(text, pos)[1])
        pos = skip(pos + 1)
        if text[pos] in "}]":
            return pos + 1
        i = 0
        while True:
            if opener == "{":
                key, after = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
                here: Path_ = (*path, key)
                lines[here] = index.line_at(pos)
                pos = skip(skip(after) + 1)  # past the colon
            else:
                here = (*path, i)
                lines[here] = index.line_at(pos)
            pos = skip(value(pos, here))
            if text[pos] != ",":
                return pos + 1
            pos, i = skip(pos + 1), i + 1

    value(skip(0), ())
    return lines


# --------------------------------------------------------------------------- small value helpers


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str | None:
    """A scalar as stripped text; None for blanks and containers."""
    if _blank(value) or isinstance(value, (dict, list, bool)):
        return None
    return str(value).strip()


def _masked(value: Any) -> bool:
    # Exports shared publicly mask values with asterisks ("sg-bp1****", "2001:db8::***").
    return isinstance(value, str) and "*" in value


def _address_value(value: Any) -> Any:
    """A CIDR/IP field: masked text is a value we cannot know, not an invalid one."""
    return UNKNOWN if _masked(value) else value


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def _id_list(value: Any) -> list[str]:
    """IDs from a list or a comma-separated string, in order, without repeats or blanks."""
    items = value if isinstance(value, list) else str(value).split(",") if isinstance(value, str) else []
    out: list[str] = []
    for item in items:
        text = _text(item)
        # Masked IDs that look alike may be different objects, so only real IDs are deduplicated.
        if text and (text not in out or _masked(text)):
            out.append(text)
    return out


# --------------------------------------------------------------------------- shapes


def _foreign(obj: dict[str, Any]) -> bool:
    return any(key in obj for key in _FOREIGN_KEYS)


def response_api(obj: Any) -> str | None:
    """Which API response (or "bundle") a parsed JSON value looks like, or None."""
    if not isinstance(obj, dict) or _foreign(obj):
        return None
    if BUNDLE_KEY in obj:
        return "bundle"
    if "SecurityGroupId" in obj and "Permissions" in obj:
        return SG_ATTRIBUTE
    if isinstance(obj.get("SecurityGroups"), dict) and "SecurityGroup" in obj["SecurityGroups"]:
        return SG_LIST
    if "cluster_id" in obj and ("cluster_type" in obj or "security_group_id" in obj):
        return CLUSTER
    if isinstance(obj.get("nodepool_info"), dict) or isinstance(obj.get("scaling_group"), dict):
        return NODE_POOL
    if isinstance(obj.get("nodepools"), list):
        return NODE_POOLS
    if isinstance(obj.get("VSwitches"), dict) and "VSwitch" in obj["VSwitches"]:
        return VSWITCHES
    if isinstance(obj.get("Vpcs"), dict) and "Vpc" in obj["Vpcs"]:
        return VPCS
    return None


def sniff(path: Path, text: str) -> bool:
    head = text.lstrip()[:1]
    if head != "{" or not any(marker in text for marker in _MARKERS):
        return False
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        # Broken JSON that names API fields (a truncated export): ours, so that load() reports it.
        # Skipping it quietly would scan the folder as if the export were not there and pass.
        return True
    return response_api(obj) is not None


# --------------------------------------------------------------------------- reading files


@dataclass
class _Response:
    api: str
    body: dict[str, Any]
    file: str
    lines: dict[Path_, int]
    base: Path_  # where the body sits in its file: () or ("responses", i, "response")
    cluster_hint: str | None = None  # a bundle entry's cluster_id (node pools)

    def line(self, *path: Any) -> int | None:
        """Line of the deepest known prefix of `path` inside this response."""
        full = (*self.base, *path)
        while full:
            if full in self.lines:
                return self.lines[full]
            full = full[:-1]
        return None


def _expect(cond: bool, resp: _Response, message: str, *path: Any) -> None:
    if not cond:
        raise InputError(resp.file, f"{resp.api}: {message}", resp.line(*path))


def _check_list_of_objects(resp: _Response, value: Any, what: str, *path: Any) -> list[dict[str, Any]]:
    _expect(isinstance(value, list), resp, f"{what} must be a list", *path)
    for i, item in enumerate(value):
        _expect(isinstance(item, dict), resp, f"{what}[{i}] must be an object", *path, i)
    return list(value)


def _permissions(resp: _Response) -> list[dict[str, Any]]:
    perms = resp.body.get("Permissions")
    if _blank(perms):
        return []  # an SG without rules
    if not isinstance(perms, dict):
        raise InputError(resp.file, f"{resp.api}: Permissions must be an object", resp.line("Permissions"))
    items = perms.get("Permission", [])
    return _check_list_of_objects(resp, items, "Permissions.Permission", "Permissions", "Permission")


_SG_FIELDS = ("SecurityGroupName", "VpcId", "InnerAccessPolicy", "NextToken")
_PERMISSION_FIELDS = (
    "SecurityGroupRuleId",
    "Direction",
    "IpProtocol",
    "PortRange",
    "Policy",
    "Priority",
    "NicType",
    "Description",
    *(
        f"{pre}{side}{name}"
        for side in ("Source", "Dest")
        for pre, name in (("", "CidrIp"), ("Ipv6", "CidrIp"))
    ),
    *(f"{side}{name}" for side in ("Source", "Dest") for name in ("GroupId", "PrefixListId")),
)
_LISTED_FIELDS = ("SecurityGroupName", "SecurityGroupType", "VpcId")
_CLUSTER_FIELDS = (
    "name",
    "cluster_type",
    "profile",
    "security_group_id",
    "vpc_id",
    "vswitch_id",
    "container_cidr",
    "subnet_cidr",
    "service_cidr",
)


def _scalars(resp: _Response, obj: dict[str, Any], names: Iterable[str], *at: Any) -> None:
    """The fields the adapter reads as values must be strings or numbers (or absent)."""
    for name in names:
        value = obj.get(name)
        if value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool)):
            continue
        shown = json.dumps(value)[:40]
        raise InputError(
            resp.file, f"{resp.api}: {name} must be a string or a number, not {shown}", resp.line(*at, name)
        )


def _validate(resp: _Response) -> None:
    """Structural checks, so that building never meets a wrong type."""
    body = resp.body
    if resp.api == SG_ATTRIBUTE:
        _expect(
            _text(body.get("SecurityGroupId")) is not None,
            resp,
            "SecurityGroupId is empty",
            "SecurityGroupId",
        )
        _scalars(resp, body, _SG_FIELDS)
        inner = _text(body.get("InnerAccessPolicy"))
        _expect(
            inner is None or inner.lower() in ("accept", "drop"),
            resp,
            f"InnerAccessPolicy must be Accept or Drop, not {inner!r}",
            "InnerAccessPolicy",
        )
        for i, perm in enumerate(_permissions(resp)):
            _scalars(resp, perm, _PERMISSION_FIELDS, "Permissions", "Permission", i)
            direction = _text(perm.get("Direction"))
            _expect(
                direction is not None and direction.lower() in ("ingress", "egress"),
                resp,
                f"permission {i}: Direction must be ingress or egress, not {perm.get('Direction')!r}",
                "Permissions",
                "Permission",
                i,
            )
    elif resp.api == SG_LIST:
        groups = _check_list_of_objects(
            resp,
            body["SecurityGroups"]["SecurityGroup"],
            "SecurityGroups.SecurityGroup",
            "SecurityGroups",
            "SecurityGroup",
        )
        for i, group in enumerate(groups):
            _expect(
                _text(group.get("SecurityGroupId")) is not None,
                resp,
                f"SecurityGroups.SecurityGroup[{i}] has no SecurityGroupId",
                "SecurityGroups",
                "SecurityGroup",
                i,
            )
            _scalars(resp, group, _LISTED_FIELDS, "SecurityGroups", "SecurityGroup", i)
    elif resp.api == CLUSTER:
        _expect(_text(body.get("cluster_id")) is not None, resp, "cluster_id is empty", "cluster_id")
        _scalars(resp, body, _CLUSTER_FIELDS)
        params = body.get("parameters")
        _expect(
            params is None or isinstance(params, dict), resp, "parameters must be an object", "parameters"
        )
    elif resp.api == NODE_POOL:
        _validate_node_pool(resp, body, ())
    elif resp.api == NODE_POOLS:
        for i, pool in enumerate(_check_list_of_objects(resp, body["nodepools"], "nodepools", "nodepools")):
            _validate_node_pool(resp, pool, ("nodepools", i))
    elif resp.api == VSWITCHES:
        items = _check_list_of_objects(
            resp, body["VSwitches"]["VSwitch"], "VSwitches.VSwitch", "VSwitches", "VSwitch"
        )
        for i, vsw in enumerate(items):
            _scalars(resp, vsw, ("VSwitchId", "CidrBlock"), "VSwitches", "VSwitch", i)
    elif resp.api == VPCS:
        for i, vpc in enumerate(_check_list_of_objects(resp, body["Vpcs"]["Vpc"], "Vpcs.Vpc", "Vpcs", "Vpc")):
            _scalars(resp, vpc, ("VpcId", "CidrBlock"), "Vpcs", "Vpc", i)


def _validate_node_pool(resp: _Response, pool: dict[str, Any], at: Path_) -> None:
    for name in ("nodepool_info", "scaling_group"):
        value = pool.get(name)
        _expect(value is None or isinstance(value, dict), resp, f"{name} must be an object", *at, name)
    info = pool.get("nodepool_info") or {}
    _scalars(resp, pool, ("cluster_id",), *at)
    _scalars(resp, info, ("nodepool_id", "name"), *at, "nodepool_info")
    _scalars(resp, pool.get("scaling_group") or {}, ("security_group_id",), *at, "scaling_group")
    _expect(
        _text(info.get("nodepool_id")) is not None or _text(info.get("name")) is not None,
        resp,
        "a node pool needs nodepool_info.nodepool_id or nodepool_info.name",
        *at,
    )
    sg_ids = _get(pool, "scaling_group", "security_group_ids")
    _expect(sg_ids is None or isinstance(sg_ids, list), resp, "security_group_ids must be a list", *at)


def _bundle_responses(obj: dict[str, Any], file: str, lines: dict[Path_, int]) -> list[_Response]:
    def fail(message: str, *path: Any) -> InputError:
        full: Path_ = tuple(path)
        while full and full not in lines:
            full = full[:-1]
        return InputError(file, f"bundle: {message}", lines.get(full, 1))

    if obj.get(BUNDLE_KEY) != BUNDLE_VERSION or isinstance(obj.get(BUNDLE_KEY), bool):
        raise fail(f"{BUNDLE_KEY} must be {BUNDLE_VERSION}, not {obj.get(BUNDLE_KEY)!r}", BUNDLE_KEY)
    unknown = sorted(set(obj) - {BUNDLE_KEY, "responses"})
    if unknown:
        raise fail(f"unknown top-level key(s) {', '.join(unknown)}", unknown[0])
    entries = obj.get("responses")
    if not isinstance(entries, list):
        raise fail("responses must be a list", "responses")
    out = []
    for i, entry in enumerate(entries):
        at = ("responses", i)
        if not isinstance(entry, dict):
            raise fail(f"responses[{i}] must be an object", *at)
        extra = sorted(set(entry) - _BUNDLE_ENTRY_KEYS)
        if extra:
            raise fail(f"responses[{i}]: unknown key(s) {', '.join(extra)}", *at, extra[0])
        api = entry.get("api")
        if api not in APIS:
            raise fail(f"responses[{i}]: api must be one of {', '.join(APIS)}, not {api!r}", *at, "api")
        body = entry.get("response")
        shape = response_api(body)
        if shape != api or not isinstance(body, dict):
            found = (
                "not an object" if not isinstance(body, dict) else f"shaped like {shape or 'nothing known'}"
            )
            raise fail(f"responses[{i}]: response is {found}, but api says {api}", *at, "response")
        hint = entry.get("cluster_id")
        if hint is not None and (api not in (NODE_POOL, NODE_POOLS) or _text(hint) is None):
            raise fail(f"responses[{i}]: cluster_id belongs on node pool entries, as a non-empty ID", *at)
        out.append(_Response(api, body, file, lines, (*at, "response"), _text(hint)))
    return out


def _read_file(path: Path) -> list[_Response]:
    file = str(path)
    text = read_text(path)
    obj = load_json(text, file)
    api = response_api(obj)
    if api is None:
        raise InputError(file, f"not an API response this adapter reads ({', '.join(APIS)}) nor a bundle")
    lines = _json_lines(text)
    responses = (
        _bundle_responses(obj, file, lines) if api == "bundle" else [_Response(api, obj, file, lines, ())]
    )
    for resp in responses:
        _validate(resp)
    return responses


# --------------------------------------------------------------------------- security groups


@dataclass
class _ListEntry:
    group: dict[str, Any]
    resp: _Response
    index: int


@dataclass
class _Sources:
    """Every response of the scan, indexed for the joins."""

    pages: dict[str, list[_Response]] = field(default_factory=dict)
    listed: dict[str, _ListEntry] = field(default_factory=dict)
    clusters: dict[str, _Response] = field(default_factory=dict)
    pools: list[tuple[_Response, Path_]] = field(default_factory=list)
    vswitch_cidrs: dict[str, Any] = field(default_factory=dict)
    vpcs: dict[str, dict[str, Any]] = field(default_factory=dict)


def _index(responses: Iterable[_Response], errors: list[InputError]) -> _Sources:
    src = _Sources()
    for resp in responses:
        body = resp.body
        if resp.api == SG_ATTRIBUTE:
            src.pages.setdefault(str(_text(body["SecurityGroupId"])), []).append(resp)
        elif resp.api == SG_LIST:
            for i, group in enumerate(body["SecurityGroups"]["SecurityGroup"]):
                _index_listed(src, _ListEntry(group, resp, i), errors)
        elif resp.api == CLUSTER:
            cid = str(_text(body["cluster_id"]))
            if cid in src.clusters:
                first = src.clusters[cid].file
                errors.append(
                    InputError(
                        resp.file,
                        f"cluster {cid} is described twice (first in {first})",
                        resp.line("cluster_id"),
                    )
                )
            else:
                src.clusters[cid] = resp
        elif resp.api == NODE_POOL:
            src.pools.append((resp, ()))
        elif resp.api == NODE_POOLS:
            src.pools.extend((resp, ("nodepools", i)) for i in range(len(body["nodepools"])))
        elif resp.api == VSWITCHES:
            for vsw in body["VSwitches"]["VSwitch"]:
                vid = _text(vsw.get("VSwitchId"))
                if vid and not _blank(vsw.get("CidrBlock")):
                    src.vswitch_cidrs.setdefault(vid, _address_value(vsw["CidrBlock"]))
        elif resp.api == VPCS:
            for vpc in body["Vpcs"]["Vpc"]:
                vid = _text(vpc.get("VpcId"))
                if vid:
                    src.vpcs.setdefault(vid, vpc)
    return src


def _index_listed(src: _Sources, entry: _ListEntry, errors: list[InputError]) -> None:
    sg_id = str(_text(entry.group["SecurityGroupId"]))
    known = src.listed.get(sg_id)
    if known is None:
        src.listed[sg_id] = entry
        return
    old, new = _text(known.group.get("SecurityGroupType")), _text(entry.group.get("SecurityGroupType"))
    if old and new and old.lower() != new.lower():
        errors.append(
            InputError(
                entry.resp.file,
                f"{SG_LIST}: {sg_id} is listed as {new} here but as {old} in {known.resp.file}",
                entry.resp.line("SecurityGroups", "SecurityGroup", entry.index),
            )
        )


_IDENTITY = ("SecurityGroupName", "VpcId", "InnerAccessPolicy")


def _identity(page: _Response) -> tuple[str | None, ...]:
    return tuple(_text(page.body.get(k)) for k in _IDENTITY)


def _page_groups(
    sg_id: str, pages: list[_Response], errors: list[InputError]
) -> list[tuple[str, list[_Response]]]:
    """(SG key, its pages) for the pages that carry one SecurityGroupId.

    Pages of a real ID must agree on the SG's identity; a page that does not is reported and left
    out. A masked ID ("sg-bp1****") identifies nothing: pages that disagree are different SGs.
    """
    groups: dict[tuple[str | None, ...], list[_Response]] = {}
    for page in pages:
        groups.setdefault(_identity(page), []).append(page)
    ordered = list(groups.values())
    if _masked(sg_id):
        keys = [sg_id] + [f"{sg_id}@{g[0].file}:{g[0].line('SecurityGroupId')}" for g in ordered[1:]]
        return list(zip(keys, ordered, strict=True))
    first = ordered[0][0]
    for page in (p for group in ordered[1:] for p in group):
        clash = next(k for k in _IDENTITY if _text(page.body.get(k)) != _text(first.body.get(k)))
        errors.append(
            InputError(
                page.file,
                f"{SG_ATTRIBUTE}: {sg_id} has {clash} {page.body.get(clash)!r} here but "
                f"{first.body.get(clash)!r} in {first.file}; these are not pages of one export",
                page.line(clash),
            )
        )
    return [(sg_id, ordered[0])]


def _peer_fields(perm: dict[str, Any], direction: str) -> dict[str, Any]:
    # The API fills both Source* and Dest*: the rule's direction says which side is the peer.
    side = "Source" if direction == "ingress" else "Dest"
    return {
        "cidr_ip": _address_value(perm.get(f"{side}CidrIp")),
        "ipv6_cidr_ip": _address_value(perm.get(f"Ipv6{side}CidrIp")),
        "peer_sg_id": perm.get(f"{side}GroupId"),
        "prefix_list_id": perm.get(f"{side}PrefixListId"),
    }


def _rules(sg_id: str, pages: list[_Response]) -> list[Json]:
    rules: list[Json] = []
    seen: set[str] = set()
    keys: set[str] = set()
    counts = {"ingress": 0, "egress": 0}
    for page in pages:
        for i, perm in enumerate(_permissions(page)):
            # The API never holds two identical rules, so an identical permission in another
            # file is the same rule exported twice (overlapping pages or files).
            fingerprint = json.dumps(perm, sort_keys=True, default=str)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            direction = str(_text(perm["Direction"])).lower()
            rule_id = _text(perm.get("SecurityGroupRuleId"))
            if rule_id and _masked(rule_id):
                rule_id = None  # "sgr-bp1****" may stand for several rules: not a key
            key = rule_id or f"{sg_id}/{direction}[{counts[direction]}]"
            counts[direction] += 1
            if key in keys:
                continue  # the same rule ID exported twice (pages taken at different times)
            keys.add(key)
            rule = RuleInput(
                key=key,
                address=key,
                file=page.file,
                line=page.line("Permissions", "Permission", i),
                direction=direction,
                protocol=_text(perm.get("IpProtocol")),
                port_range=perm.get("PortRange"),
                policy=_text(perm.get("Policy")),
                priority=perm.get("Priority"),
                nic_type=_text(perm.get("NicType")),
                description=_text(perm.get("Description")),
                **_peer_fields(perm, direction),
            )
            rules.append(make_rule(rule))
    return rules


def _sg_type(listed: _ListEntry | None) -> Any:
    # Only DescribeSecurityGroups carries the type; without it the type is unknown, not "normal".
    if listed is None or _blank(listed.group.get("SecurityGroupType")):
        return UNKNOWN
    return listed.group["SecurityGroupType"]


def _declared_sg(key: str, sg_id: str, pages: list[_Response], listed: _ListEntry | None) -> Json:
    first = pages[0].body
    group = listed.group if listed else {}
    sg = SecurityGroupInput(
        key=key,
        address=key,
        file=pages[0].file,
        line=pages[0].line("SecurityGroupId"),
        id=sg_id,
        name=_text(first.get("SecurityGroupName")) or _text(group.get("SecurityGroupName")),
        sg_type=_sg_type(listed),
        inner_access_policy=_text(first.get("InnerAccessPolicy")),
        vpc_id=_text(first.get("VpcId")) or _text(group.get("VpcId")),
        origin="declared",
    )
    return make_security_group(sg, _rules(key, pages))


def _listed_sg(sg_id: str, entry: _ListEntry) -> Json:
    sg_type = _sg_type(entry)
    enterprise = isinstance(sg_type, str) and sg_type.strip().lower() == "enterprise"
    sg = SecurityGroupInput(
        key=sg_id,
        address=sg_id,
        file=entry.resp.file,
        line=entry.resp.line("SecurityGroups", "SecurityGroup", entry.index),
        id=sg_id,
        name=_text(entry.group.get("SecurityGroupName")),
        sg_type=sg_type,
        # The list has no InnerAccessPolicy; an enterprise SG isolates members whatever it says.
        inner_access_policy=None if enterprise else UNKNOWN,
        vpc_id=_text(entry.group.get("VpcId")),
        origin="referenced",
    )
    return make_security_group(sg)


def _listing_for(pages: list[_Response], listed: _ListEntry | None, shared: bool) -> _ListEntry | None:
    # When a masked ID stands for several SGs, the listing joins only the one with its name.
    if listed is None or not shared:
        return listed
    same = _text(listed.group.get("SecurityGroupName")) == _text(pages[0].body.get("SecurityGroupName"))
    return listed if same else None


def _security_groups(src: _Sources, errors: list[InputError]) -> list[Json]:
    out: list[Json] = []
    described: set[str] = set()
    for sg_id, all_pages in src.pages.items():
        groups = _page_groups(sg_id, all_pages, errors)
        for key, pages in groups:
            if all(_text(p.body.get("NextToken")) for p in pages):
                last = pages[-1]
                errors.append(
                    InputError(
                        last.file,
                        f"{SG_ATTRIBUTE}: every page of {sg_id} has a NextToken, so its last page is "
                        "missing and its rules are incomplete; export every page (follow NextToken)",
                        last.line("NextToken"),
                    )
                )
                continue
            listed = _listing_for(pages, src.listed.get(sg_id), len(groups) > 1)
            out.append(_declared_sg(key, sg_id, pages, listed))
            described.add(sg_id)
    # Listed SGs without (complete) rules: known type, unknown rules.
    out.extend(_listed_sg(sg_id, entry) for sg_id, entry in src.listed.items() if sg_id not in described)
    return out


# --------------------------------------------------------------------------- clusters


_KINDS = {"managedkubernetes": "managed", "kubernetes": "dedicated"}
_MANAGED_PROFILES = {"edge", "serverless", "lingjun"}


def _cluster_kind(body: dict[str, Any]) -> str:
    ctype = _text(body.get("cluster_type"))
    if ctype:
        return _KINDS.get(ctype.lower(), "unknown")
    # Edge, Serverless and Lingjun profiles exist only on managed control planes.
    profile = _text(body.get("profile"))
    return "managed" if profile and profile.lower() in _MANAGED_PROFILES else "unknown"


def _decode_json_string(value: Any) -> Any:
    """A JSON document stored as a string (meta_data, master_url); None when it does not parse."""
    if isinstance(value, (dict, list)):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return None


def _meta_data(body: dict[str, Any]) -> dict[str, Any] | None:
    """The decoded meta_data object, or None when absent, masked or malformed (facts unknown)."""
    meta = _decode_json_string(body.get("meta_data"))
    return meta if isinstance(meta, dict) else None


def _addon_names(meta: dict[str, Any]) -> list[str]:
    names: list[str] = []
    addons = meta.get("Addons")
    for addon in addons if isinstance(addons, list) else []:
        name = addon.get("name") if isinstance(addon, dict) else addon
        if isinstance(name, str) and name.strip():
            names.append(name.strip().lower())
    return names


def _pod_vswitch_ids(meta: dict[str, Any]) -> list[str]:
    # PodVswitchId is a JSON string mapping zone -> [vsw, ...]; tolerate a decoded map or a list.
    raw = meta.get("PodVswitchId")
    decoded = _decode_json_string(raw)
    if decoded is None:
        return _id_list(raw) if isinstance(raw, str) else []
    values: list[Any] = list(decoded.values()) if isinstance(decoded, dict) else [decoded]
    out: list[str] = []
    for value in values:
        for vid in _id_list(value) if isinstance(value, (list, str)) else []:
            if vid not in out:
                out.append(vid)
    return out


def _pod_cidr(body: dict[str, Any]) -> Any:
    for value in (
        body.get("container_cidr"),
        body.get("subnet_cidr"),
        _get(body, "parameters", "ContainerCIDR"),
    ):
        if not _blank(value):
            return _address_value(value)
    return None


def _network_plugin(meta: dict[str, Any] | None, pod_cidr: Any) -> tuple[Any, bool]:
    """flannel / terway / UNKNOWN, and whether the value was inferred rather than stated.

    Only meta_data's Capabilities.Network states the plugin; addons, pod vSwitches and a pod
    CIDR are evidence of it (see docs/api-export-format.md for the order).
    """
    capability = str(_get(meta, "Capabilities", "Network") or "").strip().lower()
    if capability.startswith("terway"):
        return "terway", False
    if capability == "flannel":
        return "flannel", False
    addons = _addon_names(meta) if meta else []
    if any(a.startswith("terway") for a in addons) or (meta is not None and _pod_vswitch_ids(meta)):
        return "terway", True
    if any(a in ("flannel", "kube-flannel-ds") for a in addons) or pod_cidr is not None:
        # A pod CIDR separate from the VPC exists only with Flannel (Terway pods use vSwitch IPs).
        return "flannel", True
    return UNKNOWN, False


_ENDPOINT = re.compile(r"intranet_api_server_endpoint\W*(https?://[^\s\"\\,}]+)")


def _api_server_address(body: dict[str, Any]) -> Any:
    """The IP of the intranet API server endpoint, or UNKNOWN (a host name is not an address)."""
    url = None
    master = _decode_json_string(body.get("master_url"))
    if isinstance(master, dict):
        url = _text(master.get("intranet_api_server_endpoint"))
    elif isinstance(body.get("master_url"), str):
        # Masked exports break the JSON after the value ("...:6443\"***}"); the value is intact.
        match = _ENDPOINT.search(body["master_url"])
        url = match.group(1) if match else None
    host = urlsplit(url).hostname if url else None
    if host is None:
        host = _text(_get(body, "parameters", "MasterSLBPrivateIP"))
    if host is None:
        return UNKNOWN
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return UNKNOWN


def _vswitches(ids: list[str], src: _Sources) -> list[VSwitchInput]:
    return [VSwitchInput(id=vid, cidr=src.vswitch_cidrs.get(vid)) for vid in ids]


def _node_vswitch_ids(body: dict[str, Any]) -> list[str]:
    ids = _id_list(body.get("vswitch_ids"))
    return ids or _id_list(body.get("vswitch_id"))


def _vpc_facts(body: dict[str, Any], meta: dict[str, Any] | None, src: _Sources) -> tuple[Any, Any, Any]:
    """VPC ID, CIDR and secondary CIDRs: DescribeVpcs first, then meta_data's VpcCidr."""
    vpc_id = _text(body.get("vpc_id"))
    vpc = src.vpcs.get(vpc_id) if vpc_id else None
    if vpc is not None:
        secondary = _get(vpc, "SecondaryCidrBlocks", "SecondaryCidrBlock")
        secondary_list = [_address_value(c) for c in secondary] if isinstance(secondary, list) else []
        cidr = vpc.get("CidrBlock")
        if not _blank(cidr):
            return vpc_id or UNKNOWN, _address_value(cidr), secondary_list
    meta_cidr = meta.get("VpcCidr") if meta else None
    cidr = _address_value(meta_cidr) if not _blank(meta_cidr) else UNKNOWN
    return vpc_id or UNKNOWN, cidr, UNKNOWN


def _cluster(cid: str, resp: _Response, pools: list[NodePoolInput], src: _Sources) -> Json:
    body = resp.body
    meta = _meta_data(body)
    pod_cidr = _pod_cidr(body)
    plugin, inferred = _network_plugin(meta, pod_cidr)
    if pod_cidr is None and plugin != "terway":
        pod_cidr = UNKNOWN  # Flannel or undecided: the pod CIDR exists but the export lacks it
    if meta is not None:
        pod_vswitches: Any = _vswitches(_pod_vswitch_ids(meta), src)
    else:
        pod_vswitches = [] if plugin == "flannel" else UNKNOWN
    node_ids = _node_vswitch_ids(body)
    vpc_id, vpc_cidr, secondary = _vpc_facts(body, meta, src)
    service = body.get("service_cidr")
    if _blank(service):
        service = _get(body, "parameters", "ServiceCIDR")
    sg = body.get("security_group_id")
    cluster = ClusterInput(
        key=cid,
        address=cid,
        file=resp.file,
        line=resp.line("cluster_id"),
        kind=_cluster_kind(body),
        cluster_id=cid,
        name=_text(body.get("name")),
        # An existing cluster always has an SG; a blank one is missing from the export, which
        # must not turn into an "ACK creates one" placeholder.
        security_group=UNKNOWN if _blank(sg) else sg,
        is_enterprise_security_group=UNKNOWN,  # a creation choice; the SG's own type is the fact
        network_plugin=plugin,
        pod_cidr=pod_cidr,
        service_cidr=UNKNOWN if _blank(service) else _address_value(service),
        vpc_id=vpc_id,
        vpc_cidr=vpc_cidr,
        vpc_secondary_cidrs=secondary,
        node_vswitches=_vswitches(node_ids, src) if node_ids else UNKNOWN,
        pod_vswitches=pod_vswitches,
        api_server_address=_api_server_address(body),
        node_pools=pools,
    )
    doc = make_cluster(cluster)
    if inferred:
        doc["provenance"]["network_plugin"] = "derived"
    return doc


# --------------------------------------------------------------------------- node pools


def _pool_cluster(resp: _Response, at: Path_, pool: dict[str, Any], src: _Sources) -> str | None:
    """The ID of the cluster a node pool belongs to (see docs/api-export-format.md).

    None when the export has no cluster and the pool does not name one; an InputError when the
    export has several clusters and nothing says which.
    """
    named = _text(pool.get("cluster_id")) or resp.cluster_hint
    if named is not None:
        return named
    in_path = [cid for cid in src.clusters if cid in Path(resp.file).as_posix()]
    if len(in_path) > 1:
        raise InputError(
            resp.file, f"{NODE_POOL}: the file path names several clusters ({', '.join(in_path)})"
        )
    if in_path:
        return in_path[0]
    # Exports are commonly laid out one directory per cluster.
    folder = Path(resp.file).parent
    beside = [cid for cid, c in src.clusters.items() if Path(c.file).parent == folder]
    if len(beside) == 1:
        return beside[0]
    if len(src.clusters) == 1:
        return next(iter(src.clusters))
    if not src.clusters:
        return None
    raise InputError(
        resp.file,
        f"{NODE_POOL}: cannot tell which of the export's {len(src.clusters)} clusters this node pool "
        "belongs to; put cluster_id in the response or bundle entry, or the cluster ID in the file name",
        resp.line(*at, "nodepool_info"),
    )


def _placeholder_cluster(cid: str | None, resp: _Response, at: Path_) -> ClusterInput:
    """A cluster the export only knows through its node pools."""
    return external_cluster(
        key=cid or f"{resp.file}#cluster",
        address=cid or f"cluster of {resp.file} (not in the export)",
        file=resp.file,
        line=resp.line(*at, "nodepool_info"),
        cluster_id=cid,
    )


def _node_pool(resp: _Response, at: Path_, pool: dict[str, Any], cid: str, src: _Sources) -> NodePoolInput:
    info = pool.get("nodepool_info") or {}
    group = pool.get("scaling_group") or {}
    pool_id = _text(info.get("nodepool_id"))
    key = pool_id or f"{cid}/nodepool:{_text(info.get('name'))}"
    sg_ids = _id_list(group.get("security_group_ids")) or _id_list(group.get("security_group_id"))
    vsw = group.get("vswitch_ids")
    return NodePoolInput(
        key=key,
        address=key,
        file=resp.file,
        line=resp.line(*at, "nodepool_info", "nodepool_id") if pool_id else resp.line(*at, "nodepool_info"),
        name=_text(info.get("name")),
        # The real API always lists a pool's SGs; none in the export means we do not know them.
        security_groups=sg_ids or UNKNOWN,
        vswitches=_vswitches(_id_list(vsw), src) if isinstance(vsw, list) else UNKNOWN,
    )


def _pools_by_cluster(
    src: _Sources, errors: list[InputError]
) -> tuple[dict[str, list[NodePoolInput]], list[ClusterInput]]:
    """Node pools per exported cluster, and placeholder clusters for pools whose cluster is absent."""
    by_cluster: dict[str, list[NodePoolInput]] = {cid: [] for cid in src.clusters}
    placeholders: dict[str, ClusterInput] = {}
    seen: dict[str, str] = {}
    for resp, at in src.pools:
        pool = resp.body if not at else resp.body[at[0]][at[1]]
        try:
            cid = _pool_cluster(resp, at, pool, src)
        except InputError as exc:
            errors.append(exc)
            continue
        owner = cid or f"{resp.file}#cluster"
        built = _node_pool(resp, at, pool, owner, src)
        if built.key in seen:
            errors.append(
                InputError(
                    resp.file,
                    f"node pool {built.key} is described twice (first in {seen[built.key]})",
                    built.line,
                )
            )
            continue
        seen[built.key] = resp.file
        if owner in by_cluster:
            by_cluster[owner].append(built)
        else:
            placeholders.setdefault(owner, _placeholder_cluster(cid, resp, at)).node_pools.append(built)
    return by_cluster, list(placeholders.values())


# --------------------------------------------------------------------------- entry point


def load(paths: list[Path], options: AdapterOptions) -> tuple[list[Json], list[InputError]]:
    """One part for the whole export: its responses only make sense together."""
    errors: list[InputError] = []
    responses: list[_Response] = []
    files: list[str] = []
    seen: set[Path] = set()
    for path in paths:
        # A file named twice (a directory and a file in it) is one set of responses, not two.
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        try:
            read = _read_file(path)
        except InputError as exc:
            errors.append(exc)
            continue
        responses.extend(read)
        files.append(str(path))
    if not files:
        return [], errors
    src = _index(responses, errors)
    part = empty_part(files[0], KIND)
    part["inputs"] = [{"file": f, "kind": KIND} for f in files]
    part["security_groups"] = _security_groups(src, errors)
    pools, placeholders = _pools_by_cluster(src, errors)
    part["clusters"] = [_cluster(cid, resp, pools[cid], src) for cid, resp in src.clusters.items()]
    part["clusters"].extend(make_cluster(cluster) for cluster in placeholders)
    return [part], errors
