"""Terraform HCL adapter: module directories -> clusters, security groups and rules.

Each root module (a scanned directory that no other scanned directory calls as a local module) is
evaluated with its variables, locals, count/for_each and local child modules (see `adapters/hcl/`),
and its alicloud resources are mapped onto the model builders. What the sources cannot tell
(computed IDs, data sources, remote modules, unset variables) is passed on as UNKNOWN.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.adapters.hcl.module import (
    ConfigLoader,
    ModuleConfig,
    ModuleInstance,
    ResourceInstance,
    Root,
    auto_var_files,
    read_var_file,
)
from checkov_ack.adapters.hcl.values import Lazy, Ref, is_opaque
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

KIND = "terraform_hcl"

_RECURSION_LIMIT = 6000
_CLUSTER_KINDS = {"alicloud_cs_managed_kubernetes": "managed", "alicloud_cs_kubernetes": "dedicated"}


def sniff(path: Path, text: str) -> bool:
    return False  # .tf files are routed by suffix, per directory


def load(paths: list[Path], options: AdapterOptions) -> tuple[list[Json], list[InputError]]:
    limit = sys.getrecursionlimit()
    # Real modules chain locals, outputs and module inputs a few dozen levels deep; each level is
    # several Python frames. Deeper than this fails cleanly as an InputError (RecursionError).
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        return _load(paths, options)
    finally:
        sys.setrecursionlimit(limit)


def _load(paths: list[Path], options: AdapterOptions) -> tuple[list[Json], list[InputError]]:
    errors: list[InputError] = []
    loader = ConfigLoader(errors, options.follow_symlinks)
    dirs = list(dict.fromkeys(str(p) for p in paths))
    configs = {d: loader.load(d) for d in dirs}
    cli_files = _read_var_files([(p, str(p)) for p in options.var_files], errors)
    parts = []
    for directory in _roots(dirs, configs, loader):
        if not configs[directory].has_files:
            continue  # every file failed to parse; the errors say why
        values = {**_read_var_files([(Path(f), f) for f in auto_var_files(directory)], errors), **cli_files}
        try:
            parts.append(_build_part(directory, configs[directory], loader, values, options.params, errors))
        except RecursionError:
            errors.append(InputError(directory, "expressions nested too deeply to evaluate"))
    return parts, errors


def _read_var_files(files: list[tuple[Path, str]], errors: list[InputError]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for path, shown in files:
        try:
            values.update(read_var_file(path, shown))
        except InputError as exc:
            errors.append(exc)
    return values


def _roots(dirs: list[str], configs: dict[str, ModuleConfig], loader: ConfigLoader) -> list[str]:
    """Directories evaluated as root modules: those no other given directory calls."""
    real = {d: os.path.realpath(d) for d in dirs}
    called: set[str] = set()
    for d in dirs:
        called.update(os.path.realpath(c) for c in configs[d].local_calls() if os.path.realpath(c) != real[d])
    roots = [d for d in dirs if real[d] not in called]
    # A directory only reachable through a call cycle would never be evaluated: make it a root.
    reached: set[str] = set()
    stack = list(roots)  # paths as given / as called, so that locations stay relative
    while stack:
        current = stack.pop()
        if os.path.realpath(current) in reached:
            continue
        reached.add(os.path.realpath(current))
        stack.extend(loader.load(current).local_calls())
    for d in dirs:
        if real[d] not in reached:
            roots.append(d)
            reached.add(real[d])
    return roots


# ---------------------------------------------------------------- value helpers


def _scalar(value: Any) -> Any:
    """A value for a builder field: computed references are unknown."""
    return UNKNOWN if isinstance(value, (Ref, Lazy)) else value


def _sg_ref(value: Any) -> Any:
    """An SG reference as a document key (declared SG) or literal ID; UNKNOWN if it cannot be told."""
    if isinstance(value, Ref):
        return value.key if value.kind == "sg" else UNKNOWN
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if is_opaque(value) or isinstance(value, (list, dict, bool)):
        return UNKNOWN
    return str(value).strip()


def _bool(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return _scalar(value)


def _first(inst: ResourceInstance, *names: str) -> Any:
    for name in names:
        value = inst.get(name)
        if value is not None:
            return value
    return None


class _Part:
    """Maps one root module's resource instances onto the model builders."""

    def __init__(self, root: Root, instances: list[ResourceInstance]) -> None:
        self.root = root
        self.instances = instances
        self.by_key = {i.key: i for i in instances}
        self.secondary: dict[str, list[Any]] = {}
        for inst in self.of("alicloud_vpc_ipv4_cidr_block"):
            vpc = inst.get("vpc_id")
            if isinstance(vpc, Ref) and vpc.kind == "vpc":
                self.secondary.setdefault(vpc.key, []).append(_scalar(inst.get("secondary_cidr_block")))

    def of(self, *types: str) -> list[ResourceInstance]:
        return [i for i in self.instances if i.type in types]

    # -- security groups and rules

    def security_groups(self) -> list[Json]:
        declared: dict[str, SecurityGroupInput] = {}
        for inst in self.of("alicloud_security_group"):
            inner = inst.get("inner_access_policy")
            if inner is None:
                inner = _bool(inst.get("inner_access"))
            declared[inst.key] = SecurityGroupInput(
                key=inst.key,
                address=inst.address,
                file=inst.file,
                line=inst.line,
                id=UNKNOWN,  # assigned at apply
                name=_scalar(_first(inst, "security_group_name", "name")),
                sg_type=_scalar(inst.get("security_group_type")),
                inner_access_policy=_scalar(inner),
                vpc_id=_scalar(inst.get("vpc_id")),
                skips=inst.skips(),
            )
        others: dict[str, SecurityGroupInput] = {}
        rules: dict[str, list[Json]] = {}
        for inst in self.of("alicloud_security_group_rule"):
            sg_key = _sg_ref(inst.get("security_group_id"))
            if not isinstance(sg_key, str):
                sg_key = self.root.key(f"unresolved-sg:{inst.address}")
                others[sg_key] = SecurityGroupInput(
                    key=sg_key,
                    address=f"unresolved-sg:{inst.address}",
                    file=inst.file,
                    line=inst.line,
                    id=UNKNOWN,
                    origin="referenced",
                )
            elif sg_key not in declared and sg_key not in others:
                # A literal ID of an SG that is not in the sources.
                others[sg_key] = SecurityGroupInput(
                    key=sg_key, address=sg_key, file=inst.file, line=inst.line, id=sg_key, origin="referenced"
                )
            rules.setdefault(sg_key, []).append(make_rule(self.rule(inst)))
        return [make_security_group(sg, rules.get(key, [])) for key, sg in {**declared, **others}.items()]

    def rule(self, inst: ResourceInstance) -> RuleInput:
        defaults: set[str] = set()
        port_range = inst.get("port_range")
        if port_range is None:
            port_range = "-1/-1"  # the provider's schema default
            defaults.add("port_range")
        return RuleInput(
            key=inst.key,
            address=inst.address,
            file=inst.file,
            line=inst.line,
            direction=_scalar(inst.get("type")),
            protocol=_scalar(inst.get("ip_protocol")),
            port_range=_scalar(port_range),
            cidr_ip=_scalar(inst.get("cidr_ip")),
            ipv6_cidr_ip=_scalar(inst.get("ipv6_cidr_ip")),
            peer_sg_id=_sg_ref(inst.get("source_security_group_id")),
            prefix_list_id=_scalar(inst.get("prefix_list_id")),
            policy=_scalar(inst.get("policy")),
            priority=_scalar(inst.get("priority")),
            nic_type=_scalar(inst.get("nic_type")),
            description=_scalar(inst.get("description")),
            skips=inst.skips(),
            defaults=defaults,
        )

    # -- network

    def vswitches(self, value: Any, absent: Any) -> Any:
        if value is None:
            return absent
        if not isinstance(value, list):
            return UNKNOWN
        out = []
        for item in value:
            if isinstance(item, Ref) and item.kind == "vswitch" and item.key in self.by_key:
                cidr = self.by_key[item.key].get("cidr_block")
                out.append(VSwitchInput(id=UNKNOWN, cidr=UNKNOWN if cidr is None else _scalar(cidr)))
            elif isinstance(item, str) and item.strip():
                out.append(VSwitchInput(id=item, cidr=UNKNOWN))
            else:
                out.append(VSwitchInput(id=UNKNOWN, cidr=UNKNOWN))
        return out

    def vpc(self, vswitch_value: Any) -> tuple[Any, Any, Any]:
        """(id, cidr, secondary CIDRs) of the VPC the node vSwitches are in."""
        if isinstance(vswitch_value, list):
            for item in vswitch_value:
                if not (isinstance(item, Ref) and item.key in self.by_key):
                    continue
                vpc = self.by_key[item.key].get("vpc_id")
                if isinstance(vpc, Ref) and vpc.kind == "vpc" and vpc.key in self.by_key:
                    inst = self.by_key[vpc.key]
                    cidr = inst.get("cidr_block")
                    secondary = inst.get("secondary_cidr_blocks")
                    if secondary is not None and not isinstance(secondary, list):
                        secondaries: Any = UNKNOWN
                    else:
                        extra = self.secondary.get(vpc.key, [])
                        secondaries = [_scalar(c) for c in (secondary or [])] + extra
                    return UNKNOWN, UNKNOWN if cidr is None else _scalar(cidr), secondaries
                if isinstance(vpc, str) and vpc.strip():
                    return vpc, UNKNOWN, UNKNOWN
        return UNKNOWN, UNKNOWN, UNKNOWN

    # -- clusters

    def network_plugin(self, inst: ResourceInstance) -> Any:
        addons = inst.blocks("addons")
        if isinstance(addons, list):
            for addon in addons:
                name = addon.get("name")
                if is_opaque(name):
                    return UNKNOWN
                if addon.get("disabled") is True or not isinstance(name, str):
                    continue
                if name == "flannel":
                    return "flannel"
                if name.startswith("terway"):
                    return "terway"
        legacy = inst.get("cluster_network_type")
        if legacy is not None:
            return _scalar(legacy)
        if addons is UNKNOWN:
            return UNKNOWN
        pod_vswitches = inst.get("pod_vswitch_ids")
        if pod_vswitches:
            return "terway"
        if inst.get("pod_cidr"):
            return "flannel"
        return None

    def node_pool(self, inst: ResourceInstance) -> NodePoolInput:
        ids = inst.get("security_group_ids")
        if ids is None:
            single = inst.get("security_group_id")
            ids = None if single is None else [single]
        if isinstance(ids, list):
            keys = [_sg_ref(i) for i in ids]
            sgs: Any = keys if all(isinstance(k, str) for k in keys) else UNKNOWN
        else:
            sgs = None if ids is None else UNKNOWN
        return NodePoolInput(
            key=inst.key,
            address=inst.address,
            file=inst.file,
            line=inst.line,
            name=_scalar(_first(inst, "node_pool_name", "name")),
            security_groups=sgs,
            vswitches=self.vswitches(inst.get("vswitch_ids"), UNKNOWN),  # absent: chosen by ACK
            skips=inst.skips(),
        )

    def clusters(self) -> list[Json]:
        clusters: dict[str, ClusterInput] = {}
        for inst in self.of(*_CLUSTER_KINDS):
            node_ids = _first(inst, "vswitch_ids", "worker_vswitch_ids")
            if inst.type == "alicloud_cs_kubernetes":
                masters = inst.get("master_vswitch_ids")
                if isinstance(masters, list) and isinstance(node_ids, list):
                    node_ids = node_ids + [m for m in masters if m not in node_ids]
                elif masters is not None:
                    node_ids = masters if node_ids is None else UNKNOWN
            vpc_id, vpc_cidr, secondaries = self.vpc(node_ids)
            sg = inst.get("security_group_id")
            name = inst.get("name")
            if name is None and inst.get("name_prefix") is not None:
                name = UNKNOWN  # the provider appends a random suffix
            clusters[inst.key] = ClusterInput(
                key=inst.key,
                address=inst.address,
                file=inst.file,
                line=inst.line,
                kind=_CLUSTER_KINDS[inst.type],
                cluster_id=UNKNOWN,
                name=_scalar(name),
                security_group=None if sg is None else _sg_ref(sg),
                is_enterprise_security_group=_bool(inst.get("is_enterprise_security_group")),
                network_plugin=self.network_plugin(inst),
                pod_cidr=_scalar(inst.get("pod_cidr")),
                service_cidr=_scalar(inst.get("service_cidr")),
                vpc_id=vpc_id,
                vpc_cidr=vpc_cidr,
                vpc_secondary_cidrs=secondaries,
                # No vSwitch IDs (zone_ids): ACK creates them, so they are unknown, not absent.
                node_vswitches=self.vswitches(node_ids, UNKNOWN),
                pod_vswitches=self.vswitches(inst.get("pod_vswitch_ids"), []),
                api_server_address=None,  # the SLB address only exists after apply
                skips=inst.skips(),
            )
        for inst in self.of("alicloud_cs_kubernetes_node_pool"):
            cluster_ref = inst.get("cluster_id")
            pool = self.node_pool(inst)
            if isinstance(cluster_ref, Ref) and cluster_ref.key in clusters:
                clusters[cluster_ref.key].node_pools.append(pool)
                continue
            # The pool's cluster is not in this module: keep the pool under a cluster we know nothing about.
            literal = cluster_ref if isinstance(cluster_ref, str) and cluster_ref.strip() else None
            key = self.root.key(f"cluster:{literal}" if literal else f"unresolved-cluster:{inst.address}")
            if key not in clusters:
                clusters[key] = external_cluster(
                    key=key,
                    address=literal or f"unresolved-cluster:{inst.address}",
                    file=inst.file,
                    line=inst.line,
                    cluster_id=literal,
                )
            clusters[key].node_pools.append(pool)
        return [make_cluster(c) for c in clusters.values()]


def _build_part(
    directory: str,
    config: ModuleConfig,
    loader: ConfigLoader,
    values: dict[str, Any],
    params: dict[str, str],
    errors: list[InputError],
) -> Json:
    root = Root(directory, loader, values, params)
    module = ModuleInstance(root, config, "", None)
    part = _Part(root, list(module.walk()))
    doc = empty_part(directory, KIND)
    doc["security_groups"] = part.security_groups()
    doc["clusters"] = part.clusters()
    errors.extend(root.errors)
    return doc
