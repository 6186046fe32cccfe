"""ROS (Resource Orchestration Service) templates, YAML or JSON, into document parts.

One part per template. Keys are `ros:<file as given>:<LogicalId>`; addresses are the logical ID
(`Sg`, `Sg.SecurityGroupIngress[0]`, `Rules.Permissions[2]`). Template functions are evaluated by
`ros_eval`; what cannot be known stays UNKNOWN. Templates that embed Terraform
(`Transform: Aliyun::Terraform-*`) go to the HCL adapter through `ros_terraform`.

Resources whose `Condition` is unknown (it depends on a parameter with no value) may or may not
exist. Dropping them could hide an exposure and keeping them as-is could satisfy a required flow
that is not there, so they are kept with the fact that decides each verdict made unknown: their
rules' action (`Policy`) is UNKNOWN, and a node pool's security groups are UNKNOWN. Clusters and
security groups themselves are kept (a finding on a cluster that may not exist is the safe error).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkov_ack.adapters.common import AdapterOptions, read_text
from checkov_ack.adapters.ros_eval import NOVALUE, Evaluator, Resource, ResRef, contains_unknown
from checkov_ack.adapters.ros_parse import LDict, LList, line_of, load_json_located, load_yaml, skip_comments
from checkov_ack.adapters.ros_terraform import load_embedded
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
    is_unknown,
    make_cluster,
    make_rule,
    make_security_group,
)

KIND = "ros"

SG = "ALIYUN::ECS::SecurityGroup"
SG_CLONE = "ALIYUN::ECS::SecurityGroupClone"
INGRESS, EGRESS = "ALIYUN::ECS::SecurityGroupIngress", "ALIYUN::ECS::SecurityGroupEgress"
INGRESSES, EGRESSES = "ALIYUN::ECS::SecurityGroupIngresses", "ALIYUN::ECS::SecurityGroupEgresses"
MANAGED, DEDICATED = "ALIYUN::CS::ManagedKubernetesCluster", "ALIYUN::CS::KubernetesCluster"
NODE_POOL = "ALIYUN::CS::ClusterNodePool"
VPC, VSWITCH = "ALIYUN::ECS::VPC", "ALIYUN::ECS::VSwitch"
VPC_DEFAULT_CIDR = "172.16.0.0/12"  # ALIYUN::ECS::VPC CidrBlock default (ROS docs)

_VERSION = re.compile(r'^ROSTemplateFormatVersion\s*:|(?:^|[{,])\s*"ROSTemplateFormatVersion"\s*:', re.M)
_RESOURCES = re.compile(r'^Resources\s*:|(?:^|[{,])\s*"Resources"\s*:', re.M)
_ALIYUN_TYPE = re.compile(r"""(?:^|[\s{,])["']?Type["']?\s*:\s*["']?(?:ALIYUN|DATASOURCE)::""", re.M)
_PLAN = re.compile(r'"(?:format_version|terraform_version)"\s*:')

# Peer fields of a rule item, per direction (ROS uses the API's names).
_PEERS = {
    "ingress": ("SourceCidrIp", "Ipv6SourceCidrIp", "SourceGroupId", "SourcePrefixListId"),
    "egress": ("DestCidrIp", "Ipv6DestCidrIp", "DestGroupId", "DestPrefixListId"),
}


def sniff(path: Path, text: str) -> bool:
    """A ROS template: the format-version key, or top-level Resources with ALIYUN/DATASOURCE types."""
    if _PLAN.search(text[:4096]) and '"resource_changes"' in text:
        return False
    if _VERSION.search(text):
        return True
    return bool(_RESOURCES.search(text) and _ALIYUN_TYPE.search(text))


def load(paths: list[Path], options: AdapterOptions) -> tuple[list[Json], list[InputError]]:
    parts: list[Json] = []
    errors: list[InputError] = []
    for path in paths:
        file = str(path)
        try:
            part, problems = _load_one(file, read_text(path), options.params)
        except InputError as exc:
            errors.append(exc)
            continue
        except RecursionError:
            errors.append(InputError(file, "template nested too deeply to evaluate"))
            continue
        parts.append(part)
        errors.extend(problems)
    return parts, errors


def parse_template(file: str, text: str) -> LDict:
    stripped = text.lstrip()
    data = load_json_located(text, file) if stripped.startswith(("{", "[")) else load_yaml(text, file)
    if not isinstance(data, LDict):
        raise InputError(file, "not a ROS template: the top level is not a mapping", line_of(data))
    return data


def _embeds_terraform(data: LDict) -> bool:
    transform = data.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return any(isinstance(t, str) and t.startswith("Aliyun::Terraform") for t in names)


def _load_one(file: str, text: str, params: dict[str, str]) -> tuple[Json, list[InputError]]:
    data = parse_template(file, text)
    if _embeds_terraform(data):
        # The Terraform inside is read by the HCL adapter; its errors come back mapped to this file.
        return load_embedded(file, data, text, params)
    evaluator = Evaluator(file, data, params)
    return _Builder(file, text, evaluator).build(), []


def load_template(file: str, text: str, params: dict[str, str]) -> Json:
    """The document part for one template (raises InputError for templates ROS would reject)."""
    part, problems = _load_one(file, text, params)
    if problems:
        raise problems[0]
    return part


# --- value helpers --------------------------------------------------------------------------------


def _scalar(value: Any, what: str, file: str, line: int | None) -> Any:
    """A single value for a builder field: text, a number, None or UNKNOWN."""
    if value is None or value is NOVALUE:
        return None
    if is_unknown(value) or isinstance(value, ResRef):
        return UNKNOWN
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (str, int, float)):
        return value
    raise InputError(file, f"{what} must be a single value, not a {type(value).__name__}", line)


def _text(value: Any, what: str, file: str, line: int | None) -> Any:
    scalar = _scalar(value, what, file, line)
    return scalar if scalar is None or is_unknown(scalar) else str(scalar)


def _bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, ResRef):
        return UNKNOWN
    return value


@dataclass
class _Target:
    """A security group that rules attach to but that the template does not declare."""

    key: str
    address: str
    line: int | None
    sg_id: Any = None


class _Builder:
    def __init__(self, file: str, text: str, ev: Evaluator) -> None:
        self.file = file
        self.ev = ev
        self.lines = text.splitlines()
        self.comments = skip_comments(text)  # in line order
        self.comment_lines = [line for line, _, _ in self.comments]
        self.sgs: dict[str, Json] = {}  # declared / clone SGs by key, template order
        self.targets: dict[str, _Target] = {}  # SGs the template only references
        self.pending_rules: dict[str, list[Json]] = {}
        self.clusters: dict[str, ClusterInput] = {}  # by logical ID
        self.stub_clusters: dict[str, ClusterInput] = {}
        self.unknown_rules: set[str] = set()  # SG keys whose rule list is partly unknown
        self.notes: dict[str, dict[str, bool]] = {}  # cluster key -> provenance adjustments

    def key(self, logical_id: str) -> str:
        return f"ros:{self.file}:{logical_id}"

    # --- entry ------------------------------------------------------------------------------------

    def build(self) -> Json:
        order = [SG, SG_CLONE, INGRESS, EGRESS, INGRESSES, EGRESSES, MANAGED, DEDICATED, NODE_POOL]
        present: list[tuple[Resource, Any]] = []
        for res in self.ev.resources.values():
            # Other resource types are not read, so their conditions are not evaluated either.
            exists = self.ev.resource_present(res) if res.type in order else False
            if exists is not False:
                present.append((res, exists))
        handlers = {
            SG: self._security_group,
            SG_CLONE: self._clone,
            INGRESS: self._single_rule,
            EGRESS: self._single_rule,
            INGRESSES: self._permissions,
            EGRESSES: self._permissions,
            MANAGED: self._cluster,
            DEDICATED: self._cluster,
            NODE_POOL: self._node_pool,
        }
        # SGs first so rules can find them, clusters before the pools that join them.
        for rtype in order:
            for res, exists in present:
                if res.type == rtype:
                    handlers[rtype](res, exists)
        return self._part()

    def _part(self) -> Json:
        part = empty_part(self.file, KIND)
        for key, sg in self.sgs.items():
            sg["rules"].extend(self.pending_rules.pop(key, []))
            if key in self.unknown_rules:
                sg["rules_known"] = False
                sg["provenance"]["rules"] = "unknown"
            part["security_groups"].append(sg)
        for target in self.targets.values():
            sg = make_security_group(
                SecurityGroupInput(
                    key=target.key,
                    address=target.address,
                    file=self.file,
                    line=target.line,
                    id=target.sg_id,
                    origin="referenced",
                ),
                self.pending_rules.pop(target.key, []),
            )
            part["security_groups"].append(sg)
        for cluster in [*self.clusters.values(), *self.stub_clusters.values()]:
            part["clusters"].append(self._finish_cluster(cluster))
        return part

    # --- shared pieces ----------------------------------------------------------------------------

    def props(self, res: Resource) -> LDict:
        if not isinstance(res.properties, dict):
            raise InputError(self.file, f"{res.logical_id}: Properties must be a mapping", res.line)
        return res.properties if isinstance(res.properties, LDict) else LDict(res.properties)

    def prop(self, res: Resource, name: str) -> Any:
        props = self.props(res)
        if name not in props:
            return None
        value = self.ev.resolve(props[name], res.index)
        return None if value is NOVALUE else value

    def skips(self, first: int | None, last: int | None) -> list[Json]:
        if first is None:
            return []
        if first - 1 >= len(self.lines):
            return []
        start, end = self._span(first, last if last is not None else first)
        lo = bisect.bisect_left(self.comment_lines, start)
        hi = bisect.bisect_right(self.comment_lines, end)
        return [
            {"rule_id": rule_id, "reason": reason, "line": line}
            for line, rule_id, reason in self.comments[lo:hi]
        ]

    def resource_skips(self, res: Resource) -> list[Json]:
        """Skip comments in the resource's lines, plus Checkov's `Metadata: {checkov: {skip: [...]}}`
        form, the only one a JSON template can carry."""
        found = self.skips(res.line, res.end_line)
        meta = res.raw.get("Metadata") if isinstance(res.raw, dict) else None
        checkov = meta.get("checkov") if isinstance(meta, dict) else None
        items = checkov.get("skip") if isinstance(checkov, dict) else None
        if items is None:
            return found
        if not isinstance(items, list):
            raise InputError(
                self.file, f"{res.logical_id}: Metadata.checkov.skip must be a list", line_of(checkov)
            )
        for i, item in enumerate(items):
            line = items.item_spans[i][0] if isinstance(items, LList) else res.line
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise InputError(self.file, f"{res.logical_id}: a checkov skip needs an id", line)
            comment = item.get("comment")
            reason = comment if isinstance(comment, str) and comment.strip() else None
            skip = {"rule_id": item["id"].strip(), "reason": reason, "line": line}
            if skip not in found:
                found.append(skip)
        return found

    def _span(self, first: int, last: int) -> tuple[int, int]:
        """Lines of an entry with its comments: comment lines right above it at its indentation or
        less lead into it; trailing comment lines indented deeper than its first line still belong
        to it (the next entry's leading comments are not that deep)."""

        def indent(text: str) -> int:
            return len(text) - len(text.lstrip())

        def is_comment(number: int) -> bool:
            return self.lines[number - 1].lstrip().startswith("#")

        base = indent(self.lines[first - 1])
        start = first
        while start > 1 and is_comment(start - 1) and indent(self.lines[start - 2]) <= base:
            start -= 1
        end = last
        for number in range(last + 1, len(self.lines) + 1):
            if not self.lines[number - 1].strip():
                continue
            if is_comment(number) and indent(self.lines[number - 1]) > base:
                end = number
                continue
            break
        return start, end

    def sg_ref(self, raw: Any, value: Any, line: int | None) -> Any:
        """A security-group reference as a document key, a literal ID, None (absent) or UNKNOWN."""
        if value is None or value is NOVALUE or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, ResRef):
            if value.type in (SG, SG_CLONE):
                return self.key(value.logical_id)
            return UNKNOWN
        if isinstance(value, str):
            return value.strip()
        if is_unknown(value):
            # `Ref: SomeParam` with no value: the same parameter names the same SG everywhere.
            if isinstance(raw, dict) and list(raw) == ["Ref"] and raw["Ref"] in self.ev.unset_params:
                name = str(raw["Ref"])
                key = self.key(f"Parameters.{name}")
                self.targets.setdefault(key, _Target(key, f"Parameters.{name}", line, sg_id=UNKNOWN))
                return key
            return UNKNOWN
        return UNKNOWN

    def raw_prop(self, res: Resource, name: str) -> Any:
        return self.props(res).get(name)

    def attach(self, sg_key: str, rule: Json) -> None:
        self.pending_rules.setdefault(sg_key, []).append(rule)

    def _target_for(self, sg: Any, res: Resource) -> str:
        """Where a standalone rule goes: its SG's key, an external SG, or a stand-in for an unknown one."""
        if isinstance(sg, str) and sg in self.sgs:
            return sg
        if isinstance(sg, str):
            if sg not in self.targets:
                literal = UNKNOWN if sg.startswith("ros:") else sg
                self.targets[sg] = _Target(sg, sg, res.line, sg_id=literal)
            return sg
        key = self.key(f"{res.logical_id}#security-group")
        address = f"{res.logical_id} (unknown security group)"
        self.targets.setdefault(key, _Target(key, address, res.line, sg_id=UNKNOWN))
        return key

    # --- rules ------------------------------------------------------------------------------------

    def rule(
        self,
        direction: str,
        item: Any,
        key: str,
        address: str,
        line: int | None,
        skips: list[Json],
        exists: Any,
    ) -> Json:
        if (
            is_unknown(item)
            or isinstance(item, ResRef)
            or (isinstance(item, list) and contains_unknown(item))
        ):
            rule = RuleInput(key=key, address=address, file=self.file, line=line, direction=direction)
            for name in ("protocol", "port_range", "cidr_ip", "policy", "priority"):
                setattr(rule, name, UNKNOWN)
            rule.skips = skips
            return make_rule(rule)
        if not isinstance(item, dict):
            raise InputError(self.file, f"{address}: a rule must be a mapping", line)
        cidr, ipv6, group, prefix = _PEERS[direction]

        def text(name: str) -> Any:
            return _text(item.get(name), f"{address}.{name}", self.file, line)

        rule = RuleInput(
            key=key,
            address=address,
            file=self.file,
            line=line,
            direction=direction,
            protocol=text("IpProtocol"),
            port_range=text("PortRange"),
            cidr_ip=text(cidr),
            ipv6_cidr_ip=text(ipv6),
            peer_sg_id=self._peer_sg(item.get(group), line),
            prefix_list_id=text(prefix),
            policy=text("Policy") if exists is True else UNKNOWN,
            priority=_scalar(item.get("Priority"), f"{address}.Priority", self.file, line),
            nic_type=text("NicType"),
            description=text("Description"),
            skips=skips,
        )
        return make_rule(rule)

    def _peer_sg(self, value: Any, line: int | None) -> Any:
        if isinstance(value, _RawRef):
            return self.sg_ref(value.raw, UNKNOWN, line)
        return self.sg_ref(None, value, line)

    def rule_list(
        self, res: Resource, list_name: str, direction: str, sg_key: str, exists: Any, shared: list[Json]
    ) -> None:
        """Rules of an inline list (SecurityGroupIngress/Egress) or a Permissions list."""
        raw = self.raw_prop(res, list_name)
        if raw is None:
            return
        prefix = f"{res.logical_id}.{list_name}"
        if isinstance(raw, LList):
            items = [(i, raw[i], raw.item_spans[i]) for i in range(len(raw))]
        else:
            resolved = self.ev.resolve(raw, res.index)
            if resolved is NOVALUE or resolved is None:
                return
            if not isinstance(resolved, list):
                if not contains_unknown(resolved):
                    where = line_of(raw) or self.props(res).key_lines.get(list_name) or res.line
                    raise InputError(self.file, f"{prefix} must be a list", where)
                self.unknown_rules.add(sg_key)
                return
            span = (line_of(raw) or res.line or 0, line_of(raw) or res.line or 0)
            items = [(i, item, span) for i, item in enumerate(resolved)]
        for i, item_raw, (first, last) in items:
            item = self.ev.resolve(item_raw, res.index) if isinstance(raw, LList) else item_raw
            if item is NOVALUE:
                continue
            if isinstance(item, dict) and isinstance(item_raw, dict):
                item = self._with_raw_refs(item, item_raw)
            own = self.skips(first, last) if first else []
            skips = own + [s for s in shared if s not in own]
            self.attach(
                sg_key,
                self.rule(
                    direction,
                    item,
                    self.key(f"{prefix}[{i}]"),
                    f"{prefix}[{i}]",
                    first or None,
                    skips,
                    exists,
                ),
            )

    @staticmethod
    def _with_raw_refs(item: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
        # Peer SG fields keep their raw form so `Ref: UnsetParam` can name a stand-in SG.
        out = dict(item)
        for name in ("SourceGroupId", "DestGroupId"):
            if name in raw and is_unknown(out.get(name)):
                out[name] = _RawRef(raw[name])
        return out

    # --- resources --------------------------------------------------------------------------------

    def _security_group(self, res: Resource, exists: Any) -> None:
        key = self.key(res.logical_id)
        sg = make_security_group(
            SecurityGroupInput(
                key=key,
                address=res.logical_id,
                file=self.file,
                line=res.line,
                name=_text(self.prop(res, "SecurityGroupName"), "SecurityGroupName", self.file, res.line),
                sg_type=_text(self.prop(res, "SecurityGroupType"), "SecurityGroupType", self.file, res.line),
                vpc_id=self._vpc_id(self.prop(res, "VpcId")),
                skips=self.resource_skips(res),
            )
        )
        self._mark_vpc(sg)
        self.sgs[key] = sg
        for list_name, direction in (("SecurityGroupIngress", "ingress"), ("SecurityGroupEgress", "egress")):
            self.rule_list(res, list_name, direction, key, exists, [])

    def _clone(self, res: Resource, exists: Any) -> None:
        key = self.key(res.logical_id)
        sg = make_security_group(
            SecurityGroupInput(
                key=key,
                address=res.logical_id,
                file=self.file,
                line=res.line,
                name=_text(self.prop(res, "SecurityGroupName"), "SecurityGroupName", self.file, res.line),
                sg_type=_text(self.prop(res, "SecurityGroupType"), "SecurityGroupType", self.file, res.line),
                vpc_id=self._vpc_id(self.prop(res, "VpcId")),
                origin="clone",
                skips=self.resource_skips(res),
            )
        )
        self._mark_vpc(sg)
        self.sgs[key] = sg

    @staticmethod
    def _mark_vpc(sg: Json) -> None:
        if isinstance(sg["vpc_id"], str) and sg["vpc_id"].startswith("ros:"):
            sg["provenance"]["vpc_id"] = "derived"  # the VPC's key here: its ID exists only after creation

    def _rule_target(self, res: Resource) -> str:
        raw = self.raw_prop(res, "SecurityGroupId")
        sg = self.sg_ref(raw, self.prop(res, "SecurityGroupId"), res.line)
        return self._target_for(sg, res)

    def _single_rule(self, res: Resource, exists: Any) -> None:
        direction = "ingress" if res.type == INGRESS else "egress"
        target = self._rule_target(res)
        item = self.ev.resolve(self.props(res), res.index)
        if isinstance(item, dict):
            item = self._with_raw_refs(item, self.props(res))
        skips = self.resource_skips(res)
        self.attach(
            target,
            self.rule(direction, item, self.key(res.logical_id), res.logical_id, res.line, skips, exists),
        )

    def _permissions(self, res: Resource, exists: Any) -> None:
        direction = "ingress" if res.type == INGRESSES else "egress"
        target = self._rule_target(res)
        # Comments in the resource but outside any item apply to all of its rules.
        shared = self.resource_skips(res)
        raw = self.raw_prop(res, "Permissions")
        if isinstance(raw, LList):
            inside = {s["line"] for first, last in raw.item_spans for s in self.skips(first, last)}
            shared = [s for s in shared if s["line"] not in inside]
        self.rule_list(res, "Permissions", direction, target, exists, shared)

    # --- network facts ----------------------------------------------------------------------------

    def _vpc_id(self, value: Any) -> Any:
        if isinstance(value, ResRef):
            return self.key(value.logical_id) if value.type == VPC else UNKNOWN
        return _scalar(value, "VpcId", self.file, None) if not isinstance(value, (list, dict)) else UNKNOWN

    def _vpc(self, value: Any) -> tuple[Any, Any, Any, bool]:
        """(id, CIDR, secondary CIDRs, CIDR defaulted) of a cluster's VPC."""
        if isinstance(value, ResRef) and value.type == VPC:
            res = self.ev.resources[value.logical_id]
            cidr = self.ev.property_of(res, "CidrBlock", res.line)
            secondary = self.ev.property_of(res, "SecondaryCidrBlocks", res.line)
            if secondary is not None and not isinstance(secondary, list):
                secondary = UNKNOWN
            if isinstance(secondary, list):
                secondary = [_scalar(c, "SecondaryCidrBlocks", self.file, res.line) for c in secondary]
                if any(is_unknown(c) for c in secondary):
                    secondary = UNKNOWN
            cidr_value = _scalar(cidr, "CidrBlock", self.file, res.line)
            return self.key(value.logical_id), cidr_value or VPC_DEFAULT_CIDR, secondary or [], cidr is None
        vpc_id = self._vpc_id(value)
        return vpc_id, UNKNOWN, UNKNOWN, False

    def _vswitches(self, values: list[Any]) -> Any:
        """VSwitchInputs for lists of vSwitch references; UNKNOWN when a list is unknown."""
        out: list[VSwitchInput] = []
        seen: set[Any] = set()
        for value in values:
            if value is None or value is NOVALUE:
                continue
            if not isinstance(value, list):
                return UNKNOWN
            for item in value:
                vsw = self._vswitch(item)
                ident = vsw.id if isinstance(vsw.id, str) else id(vsw)
                if ident not in seen:
                    seen.add(ident)
                    out.append(vsw)
        return out

    def _vswitch(self, item: Any) -> VSwitchInput:
        if isinstance(item, ResRef) and item.type == VSWITCH:
            res = self.ev.resources[item.logical_id]
            cidr = self.ev.property_of(res, "CidrBlock", res.line)
            return VSwitchInput(
                id=self.key(item.logical_id),
                cidr=UNKNOWN if cidr is None else _scalar(cidr, "CidrBlock", self.file, res.line),
            )
        if isinstance(item, str) and item.strip():
            return VSwitchInput(id=item.strip(), cidr=UNKNOWN)
        return VSwitchInput(id=UNKNOWN, cidr=UNKNOWN)

    # --- clusters and node pools ------------------------------------------------------------------

    def _cluster(self, res: Resource, exists: Any) -> None:
        sg = self.sg_ref(self.raw_prop(res, "SecurityGroupId"), self.prop(res, "SecurityGroupId"), res.line)
        vpc_id, vpc_cidr, secondary, vpc_defaulted = self._vpc(self.prop(res, "VpcId"))
        node_lists = [self.prop(res, n) for n in ("VSwitchIds", "WorkerVSwitchIds", "MasterVSwitchIds")]
        pod_list = self.prop(res, "PodVswitchIds")
        if pod_list is None:
            pod_list = self.prop(res, "PodVSwitchIds")
        pod_cidr = _text(self.prop(res, "ContainerCidr"), "ContainerCidr", self.file, res.line)
        plugin, inferred = self._plugin(self.prop(res, "Addons"), pod_list, pod_cidr)
        cluster = ClusterInput(
            key=self.key(res.logical_id),
            address=res.logical_id,
            file=self.file,
            line=res.line,
            kind="managed" if res.type == MANAGED else "dedicated",
            name=_text(self.prop(res, "Name"), "Name", self.file, res.line),
            security_group=sg,
            is_enterprise_security_group=_bool(self.prop(res, "IsEnterpriseSecurityGroup")),
            network_plugin=plugin,
            pod_cidr=pod_cidr,
            service_cidr=_text(self.prop(res, "ServiceCidr"), "ServiceCidr", self.file, res.line),
            vpc_id=vpc_id,
            vpc_cidr=vpc_cidr,
            vpc_secondary_cidrs=secondary,
            node_vswitches=self._vswitches(node_lists),
            pod_vswitches=self._vswitches([pod_list]),
            api_server_address=UNKNOWN,  # the API server SLB is created with the cluster
            skips=self.resource_skips(res),
        )
        self.notes[cluster.key] = {"plugin_derived": inferred, "vpc_cidr_default": vpc_defaulted}
        self.clusters[res.logical_id] = cluster
        # Inline pools exist exactly when their cluster does.
        self._inline_pools(res, cluster)

    def _plugin(self, addons: Any, pod_vswitches: Any, pod_cidr: Any) -> tuple[Any, bool]:
        """(network plugin, whether it was inferred rather than named by an addon)."""
        if isinstance(addons, list):
            names = []
            for addon in addons:
                if not isinstance(addon, dict):
                    return UNKNOWN, False
                if _bool(addon.get("Disabled")) is True:
                    continue
                name = addon.get("Name")
                if not isinstance(name, str):
                    return UNKNOWN, False
                names.append(name.strip().lower())
            flannel = any(n in ("flannel", "kube-flannel-ds") for n in names)
            terway = any(n.startswith("terway") for n in names)
            if flannel and terway:
                return UNKNOWN, False  # the API takes exactly one network plugin
            if flannel or terway:
                return ("flannel" if flannel else "terway"), False
        elif addons is not None:
            return UNKNOWN, False
        # No network addon named: the properties only one plugin uses tell which one it is.
        if isinstance(pod_vswitches, list) and pod_vswitches:
            return "terway", True
        if isinstance(pod_cidr, str) and pod_cidr.strip():
            return "flannel", True
        return UNKNOWN, False

    def _inline_pools(self, res: Resource, cluster: ClusterInput) -> None:
        raw = self.raw_prop(res, "NodePools")
        if raw is None:
            return
        pools = self.ev.resolve(raw, res.index)
        if not isinstance(pools, list):
            if contains_unknown(pools):
                stand_in = NodePoolInput(
                    key=self.key(f"{res.logical_id}.NodePools"),
                    address=f"{res.logical_id}.NodePools",
                    file=self.file,
                    line=line_of(raw) or res.line,
                    security_groups=UNKNOWN,
                    vswitches=UNKNOWN,
                )
                cluster.node_pools.append(stand_in)
                return
            raise InputError(
                self.file, f"{res.logical_id}.NodePools must be a list", line_of(raw) or res.line
            )
        spans = raw.item_spans if isinstance(raw, LList) and len(raw) == len(pools) else []
        for i, pool in enumerate(pools):
            first, last = spans[i] if spans else (line_of(raw) or res.line, None)
            address = f"{res.logical_id}.NodePools[{i}]"
            raw_pool = raw[i] if spans else None
            cluster.node_pools.append(
                self._pool(pool, raw_pool, self.key(address), address, first, self.skips(first, last), True)
            )

    def _pool(
        self, pool: Any, raw: Any, key: str, address: str, line: int | None, skips: list[Json], exists: Any
    ) -> NodePoolInput:
        if not isinstance(pool, dict):
            if contains_unknown(pool):
                return NodePoolInput(
                    key, address, self.file, line, security_groups=UNKNOWN, vswitches=UNKNOWN
                )
            raise InputError(self.file, f"{address} must be a mapping", line)
        info = pool.get("NodePoolInfo")
        name = info.get("Name") if isinstance(info, dict) else (UNKNOWN if contains_unknown(info) else None)
        scaling = pool.get("ScalingGroup")
        raw_scaling = raw.get("ScalingGroup") if isinstance(raw, dict) else None
        security_groups: Any
        if isinstance(scaling, dict):
            security_groups = self._pool_sgs(
                scaling, raw_scaling if isinstance(raw_scaling, dict) else {}, line
            )
            vswitches = self._vswitches([scaling.get("VSwitchIds")])
        elif scaling is None:
            security_groups, vswitches = None, []
        else:
            security_groups, vswitches = UNKNOWN, UNKNOWN
        if exists is not True:
            security_groups = UNKNOWN  # the pool may not exist: which SGs its nodes add is unknown
        return NodePoolInput(
            key=key,
            address=address,
            file=self.file,
            line=line,
            name=_text(name, f"{address}.NodePoolInfo.Name", self.file, line),
            security_groups=security_groups,
            vswitches=vswitches,
            skips=skips,
        )

    def _pool_sgs(self, scaling: dict[str, Any], raw: dict[str, Any], line: int | None) -> Any:
        refs: list[Any] = []
        many = scaling.get("SecurityGroupIds")
        if many is not None and many is not NOVALUE:
            if not isinstance(many, list):
                return UNKNOWN
            raw_many = raw.get("SecurityGroupIds")
            for i, value in enumerate(many):
                raw_item = raw_many[i] if isinstance(raw_many, list) and len(raw_many) == len(many) else None
                refs.append(self.sg_ref(raw_item, value, line))
        if "SecurityGroupId" in scaling:
            refs.append(self.sg_ref(raw.get("SecurityGroupId"), scaling["SecurityGroupId"], line))
        refs = [r for r in refs if r is not None]
        if any(is_unknown(r) for r in refs):
            return UNKNOWN
        return list(dict.fromkeys(refs)) or None

    def _node_pool(self, res: Resource, exists: Any) -> None:
        cluster_ref = self.prop(res, "ClusterId")
        pool = self._pool(
            self.ev.resolve(self.props(res), res.index),
            self.props(res),
            self.key(res.logical_id),
            res.logical_id,
            res.line,
            self.resource_skips(res),
            exists,
        )
        if isinstance(cluster_ref, ResRef) and cluster_ref.logical_id in self.clusters:
            self.clusters[cluster_ref.logical_id].node_pools.append(pool)
            return
        # A pool of a cluster outside the template: a cluster whose facts are all unknown holds it.
        if isinstance(cluster_ref, str) and cluster_ref.strip():
            stub_key, cluster_id = self.key(f"ClusterId({cluster_ref.strip()})"), cluster_ref.strip()
        else:
            stub_key, cluster_id = self.key(f"{res.logical_id}#cluster"), None
        stub = self.stub_clusters.get(stub_key)
        if stub is None:
            stub = external_cluster(
                key=stub_key,
                address=f"{res.logical_id} (cluster outside the template)",
                file=self.file,
                line=res.line,
                cluster_id=cluster_id,
            )
            self.stub_clusters[stub_key] = stub
        stub.node_pools.append(pool)

    def _finish_cluster(self, cluster: ClusterInput) -> Json:
        notes = self.notes.get(cluster.key, {})
        doc = make_cluster(cluster)
        prov = doc["provenance"]
        if notes.get("plugin_derived"):
            prov["network_plugin"] = "derived"
        if notes.get("vpc_cidr_default"):
            prov["vpc.cidr"] = "default"
        if isinstance(doc["vpc"]["id"], str) and doc["vpc"]["id"].startswith("ros:"):
            prov["vpc.id"] = "derived"  # the VPC's key in this template: its ID exists only after creation
        return doc


class _RawRef:
    """Marks a peer SG field whose resolved value is unknown, keeping the raw form for `sg_ref`."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
