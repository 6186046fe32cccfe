"""Seeded random normalized documents, built the way adapters build them (model builders + assemble).

    from docgen import generate, generate_many
    doc = generate(7)                  # one document; same seed, same document
    docs = generate_many(1000, seed=0) # documents for seeds 0..999 (seed offsets)

Documents cover: basic/advanced/unknown SG types, Flannel/Terway/unknown plugins, IPv4 and IPv6
peers, accept/drop rules with clustered priorities (ties and shadowing), unknown and invalid values
(UNKNOWN from plans, bad CIDRs, bad port ranges, out-of-range priorities), declared, referenced
(ID only) and ACK-created SGs, SGs shared between clusters, peer SGs, prefix lists, node pools with
their own or inherited or unknown SGs, inline skips, planned changes, profiles, application
exposures and overrides. `generate` never returns a document that fails the schema (tests check).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from checkov_ack.model.assemble import assemble
from checkov_ack.model.document import (
    UNKNOWN,
    ClusterInput,
    Json,
    NodePoolInput,
    RuleInput,
    SecurityGroupInput,
    VSwitchInput,
    empty_part,
    make_cluster,
    make_rule,
    make_security_group,
)
from checkov_ack.model.settings import Exposure, Overrides, Settings

KINDS = ("terraform_hcl", "terraform_plan", "ros", "api_export")
INTERNET_V4 = ("0.0.0.0/0", "1.2.3.4/32", "47.100.0.0/16", "8.8.8.0/24", "0.0.0.0/1")
PRIVATE_V4 = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "192.168.1.0/24",
              "10.1.0.0/16", "172.20.0.0/16", "10.2.3.4/32", "127.0.0.1/32", "169.254.0.0/16")
INTERNET_V6 = ("::/0", "2001:db8::/32", "2408:4000::/24", "2000::/3")
PRIVATE_V6 = ("fd00::/8", "fc00::/7", "fe80::/10", "::1/128", "fd12:3456::/48")
INVALID_CIDRS = ("bogus", "10.0.0.0/33", "300.1.1.1/32")
PORT_RANGES = ("-1/-1", "1/65535", "22/22", "10250/10250", "10255/10255", "10250/10255", "6443/6443",
               "443/443", "53/53", "8082/8082", "80/80", "8443/8443", "9082/9082", "30000/32767",
               "1/1024", "3389/3389", "0/0", "1/1", "65535/65535", "100/10", "70000/70001", "abc",
               "-2/-1", "-3/5")
PROTOCOLS = ("tcp", "TCP", "udp", "icmp", "ICMP", "gre", "icmpv6", "all", "ALL", "igmp")
PRIORITIES: tuple[Any, ...] = (1, 1, 1, 2, 5, 10, 50, 99, 100, 0, 101, "3", "x", -2, "-7")
POLICIES = ("accept", "accept", "accept", "drop", "drop", "Accept", "Drop", "reject")
# Rules per SG: small on purpose. Parity is about semantics, and regopy's cost grows fast with the
# rules of a unit (tens of seconds for 30 rules under load); size is the benchmarks' business.
RULE_COUNTS = (0, 1, 2, 2, 3, 3, 4, 5, 6, 8)
RULE_IDS = tuple(f"CKV_ACK_{n}" for n in range(1, 21))


@dataclass
class _Ctx:
    rng: random.Random
    kind: str
    file: str
    sg_keys: list[str] = field(default_factory=list)
    external_sgs: list[str] = field(default_factory=list)
    cluster_cidrs: list[str] = field(default_factory=list)
    line: int = 1

    def next_line(self) -> int | None:
        if self.kind == "api_export" or self.rng.random() < 0.05:
            return None
        self.line += self.rng.randint(1, 12)
        return self.line

    def key(self, kind: str, name: str) -> str:
        if self.kind == "api_export":
            return f"sg-{name}" if kind == "sg" else name
        prefix = {"terraform_hcl": "tf", "terraform_plan": "plan", "ros": "ros"}[self.kind]
        return f"{prefix}:{self.file}:{name}"


def _maybe(rng: random.Random, value: Any, p_unknown: float = 0.0, p_none: float = 0.0) -> Any:
    roll = rng.random()
    if roll < p_unknown:
        return UNKNOWN
    if roll < p_unknown + p_none:
        return None
    return value


def _cidr(ctx: _Ctx) -> str:
    rng = ctx.rng
    pools: list[tuple[float, tuple[str, ...]]] = [
        (0.30, INTERNET_V4), (0.30, PRIVATE_V4), (0.12, INTERNET_V6), (0.08, PRIVATE_V6),
        (0.02, INVALID_CIDRS),
    ]
    if ctx.cluster_cidrs:
        pools.append((0.18, tuple(ctx.cluster_cidrs)))
    total = sum(w for w, _ in pools)
    roll = rng.random() * total
    for weight, pool in pools:
        if roll < weight:
            return rng.choice(pool)
        roll -= weight
    return rng.choice(INTERNET_V4)


def _skips(rng: random.Random) -> list[Json]:
    if rng.random() >= 0.06:
        return []
    return [{"rule_id": rng.choice(RULE_IDS), "reason": rng.choice(["bastion", None]),
             "line": rng.choice([None, 3])}]


def _rule(ctx: _Ctx, sg_key: str, index: int, sg_address: str) -> Json:
    rng = ctx.rng
    plan = ctx.kind == "terraform_plan"
    unk = 0.04 if plan else 0.01
    direction = _maybe(rng, rng.choice(("ingress",) * 3 + ("egress",) * 2 + ("Ingress",)), unk)
    protocol = _maybe(rng, rng.choice(PROTOCOLS), unk)
    port_range = _maybe(rng, rng.choice(PORT_RANGES), unk, 0.05)
    peer_roll = rng.random()
    cidr_ip = ipv6 = peer_sg = prefix = None
    if peer_roll < 0.62:
        cidr = _cidr(ctx)
        if ":" in cidr:
            ipv6 = cidr
        else:
            cidr_ip = cidr
    elif peer_roll < 0.82:
        choices = ctx.sg_keys + ctx.external_sgs + ["sg-bp1peer0000000001"]
        peer_sg = rng.choice(choices)
    elif peer_roll < 0.88:
        prefix = "pl-bp1prefix000001"
    elif peer_roll < 0.94:
        cidr_ip = UNKNOWN
    elif peer_roll < 0.97:
        peer_sg = UNKNOWN
    # else: no peer at all
    defaults = {"priority"} if plan and rng.random() < 0.5 else set()
    return make_rule(RuleInput(
        key=f"{sg_key}/rule[{index}]",
        address=f"{sg_address}.rule[{index}]",
        file=ctx.file,
        line=ctx.next_line(),
        direction=direction,
        protocol=protocol,
        port_range=port_range,
        cidr_ip=cidr_ip,
        ipv6_cidr_ip=ipv6,
        peer_sg_id=peer_sg,
        prefix_list_id=prefix,
        policy=_maybe(rng, rng.choice(POLICIES), unk, 0.2),
        priority=_maybe(rng, rng.choice(PRIORITIES), unk, 0.15),
        nic_type=_maybe(rng, rng.choice(("intranet", "internet")), 0.0, 0.6),
        description=rng.choice((None, "ack", "")),
        action=rng.choice(("create", "update", "no-op", "replace", "delete")) if plan else None,
        skips=_skips(rng),
        defaults=defaults,
    ))


def _security_group(ctx: _Ctx, name: str) -> Json:
    rng = ctx.rng
    key = ctx.key("sg", name)
    address = name if ctx.kind == "api_export" else f"alicloud_security_group.{name}"
    sg_type = rng.choice(("normal", "enterprise", "normal", "enterprise", None, UNKNOWN, "Enterprise", "odd"))
    inner = rng.choice((None, "Accept", "Drop", True, False, UNKNOWN))
    sg = SecurityGroupInput(
        key=key, address=address, file=ctx.file, line=ctx.next_line(),
        id=key if key.startswith("sg-") else _maybe(rng, None, 0.1 if ctx.kind == "terraform_plan" else 0),
        name=name, sg_type=sg_type, inner_access_policy=inner,
        vpc_id=rng.choice(("vpc-bp1main", None)),
        action=rng.choice(("create", "no-op", None)) if ctx.kind == "terraform_plan" else None,
        skips=_skips(rng),
    )
    rules = [_rule(ctx, key, i, address) for i in range(rng.choice(RULE_COUNTS))]
    return make_security_group(sg, rules)


def _vswitches(ctx: _Ctx, base: str, count: int) -> list[VSwitchInput]:
    rng = ctx.rng
    out = []
    for i in range(count):
        cidr = _maybe(rng, f"{base}.{i + 1}.0/24", 0.05, 0.05)
        if isinstance(cidr, str) and rng.random() < 0.2:
            cidr = rng.choice(("fd00:1::/64", "bogus"))
        out.append(VSwitchInput(id=f"vsw-bp1{base.replace('.', '')}{i}", cidr=cidr))
        if isinstance(cidr, str):
            ctx.cluster_cidrs.append(cidr)
    return out


def _cluster(ctx: _Ctx, index: int, sg_choices: list[Any]) -> Json:
    rng = ctx.rng
    name = f"ack{index}"
    key = ctx.key("cluster", f"alicloud_cs_managed_kubernetes.{name}")
    plugin = rng.choice(("flannel", "terway", "Flannel", "terway", None, UNKNOWN, "calico"))
    pod_cidr = _maybe(rng, rng.choice(("172.20.0.0/16", "10.244.0.0/16", "fd00:20::/56", "nope")), 0.1, 0.3)
    if isinstance(pod_cidr, str):
        ctx.cluster_cidrs.append(pod_cidr)
    vpc_cidr = _maybe(rng, rng.choice(("192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12")), 0.1, 0.15)
    if isinstance(vpc_cidr, str):
        ctx.cluster_cidrs.append(vpc_cidr)
    base = rng.choice(("192.168", "10.1", "172.16"))
    node_vsw = _vswitches(ctx, base, rng.choice((0, 1, 1, 2)))
    pod_vsw = _vswitches(ctx, "10.2", rng.choice((0, 0, 1, 2)))
    pools = []
    for p in range(rng.choice((0, 0, 1, 2, 3))):
        sgs: Any = rng.choice((None, None, UNKNOWN, [rng.choice(sg_choices)],
                               [rng.choice(sg_choices), rng.choice(sg_choices)]))
        if isinstance(sgs, list):
            sgs = [s for s in sgs if isinstance(s, str)] or None
        pools.append(NodePoolInput(
            key=f"{key}/pool{p}", address=f"alicloud_cs_kubernetes_node_pool.{name}_p{p}",
            file=ctx.file, line=ctx.next_line(), name=_maybe(rng, f"pool{p}", 0.05),
            security_groups=sgs, vswitches=rng.choice((node_vsw, [], UNKNOWN)),
            action=rng.choice(("create", None)) if ctx.kind == "terraform_plan" else None,
            skips=_skips(rng),
        ))
    return make_cluster(ClusterInput(
        key=key, address=f"alicloud_cs_managed_kubernetes.{name}", file=ctx.file, line=ctx.next_line(),
        kind=rng.choice(("managed", "managed", "dedicated", "unknown")),
        cluster_id=rng.choice((None, f"c{index}abcdef")),
        name=_maybe(rng, name, 0.05),
        security_group=rng.choice(sg_choices),
        is_enterprise_security_group=rng.choice((None, None, True, False, UNKNOWN)),
        network_plugin=plugin,
        pod_cidr=pod_cidr,
        service_cidr=_maybe(rng, "172.21.0.0/20", 0.05, 0.3),
        vpc_id=_maybe(rng, "vpc-bp1main", 0.05, 0.2),
        vpc_cidr=vpc_cidr,
        vpc_secondary_cidrs=rng.choice(([], [], ["100.64.0.0/16"], UNKNOWN, ["bad"])),
        node_vswitches=rng.choice((node_vsw, node_vsw, UNKNOWN)),
        pod_vswitches=pod_vsw,
        api_server_address=_maybe(rng, rng.choice(("47.1.2.3", "192.168.0.10", "10.0.0.5/32")), 0.1, 0.5),
        node_pools=pools,
        action=rng.choice(("create", "update", None)) if ctx.kind == "terraform_plan" else None,
        skips=_skips(rng),
    ))


def _settings(rng: random.Random) -> Settings:
    exposures = []
    for _ in range(rng.choice((0, 0, 0, 1, 2))):
        port = rng.choice(((80, 80), (443, 443), (30000, 32767), (-1, -1), (22, 22)))
        exposures.append(Exposure(
            direction=rng.choice(("ingress", "ingress", "egress")),
            protocol=rng.choice(("tcp", "udp", "all", "icmp")),
            port_from=port[0], port_to=port[1],
            peers=rng.sample(["0.0.0.0/0", "::/0", "203.0.113.0/24", "10.0.0.0/8"], rng.randint(1, 2)),
        ))
    overrides = Overrides()
    if rng.random() < 0.25:
        overrides.network_plugin = rng.choice(("flannel", "terway", None))
        overrides.sg_type = rng.choice(("basic", "advanced", None, None))
        overrides.api_server_address = rng.choice(("47.1.2.3", None))
        overrides.pod_cidr = rng.choice(("172.22.0.0/16", None))
        overrides.vpc_cidrs = rng.choice(([], ["192.168.0.0/16", "100.64.0.0/16"]))
        overrides.vswitch_cidrs = rng.choice(([], ["192.168.7.0/24"]))
    return Settings(profile=rng.choice(("recommended", "least-privilege")), exposures=exposures,
                    overrides=overrides)


def generate(seed: int) -> Json:
    """One normalized document, a pure function of `seed`."""
    rng = random.Random(seed)
    kind = rng.choice(KINDS)
    file = {"terraform_hcl": "infra", "terraform_plan": "plan.json", "ros": "stack.yaml",
            "api_export": "export"}[kind] + f"/{seed % 7}"
    ctx = _Ctx(rng=rng, kind=kind, file=file)
    part = empty_part(file, kind)
    names = [f"sg{i}" for i in range(rng.choice((0, 1, 1, 2, 2, 3, 4)))]
    ctx.sg_keys = [ctx.key("sg", n) for n in names]
    ctx.external_sgs = [f"sg-bp1ext{i:011d}" for i in range(rng.choice((0, 1, 2)))]
    n_clusters = rng.choice((0, 1, 1, 1, 2))
    # Pre-compute cluster CIDRs so that rules can name them as peers.
    sg_choices: list[Any] = ctx.sg_keys + ctx.external_sgs + [None, None, UNKNOWN]
    clusters = [_cluster(ctx, i, sg_choices) for i in range(n_clusters)]
    part["security_groups"] = [_security_group(ctx, n) for n in names]
    part["clusters"] = clusters
    parts = [part]
    if rng.random() < 0.15:
        # a second input (e.g. an API export of an SG the HCL references): shared keys merge
        other = empty_part("export/extra", "api_export")
        octx = _Ctx(rng=rng, kind="api_export", file="export/extra", sg_keys=ctx.sg_keys)
        other["security_groups"] = [_security_group(octx, f"bp1extra{i}") for i in range(rng.randint(1, 2))]
        parts.append(other)
    doc = assemble(parts, _settings(rng))
    _non_ascii(doc, random.Random(seed * 7919 + 1))
    return doc


def _non_ascii(doc: Json, rng: random.Random) -> None:
    """Some documents get Terraform for_each keys with non-ASCII text in their rule keys and
    addresses (`r["入站-é"]`): regopy keeps input strings as escaped JSON text unless the input is
    serialized with ensure_ascii=False, so sorting, counting and comparing them is where engines
    could part. A separate random stream: the other traits of seed N do not change."""
    if rng.random() >= 0.1:
        return
    for sg in doc["security_groups"]:
        for i, rule in enumerate(sg["rules"]):
            tag = rng.choice(("入站", "é", "zz", "Ωmega"))
            rule["key"] = f'{rule["key"]}["{tag}-{i}"]'
            rule["address"] = f'{rule["address"]}["{tag}-{i}"]'


def generate_many(count: int, seed: int = 0) -> list[Json]:
    """`count` documents for seeds seed, seed+1, ..."""
    return [generate(seed + i) for i in range(count)]


def features(doc: Json) -> set[str]:
    """Which of the advertised traits a document has (tests check the generator covers them all)."""
    found: set[str] = set()
    for sg in doc["security_groups"]:
        found.add(f"sg_type:{sg['type']}")
        found.add(f"origin:{sg['origin']}")
        for rule in sg["rules"]:
            peer = rule["peer"]
            found.add(f"peer:{peer['kind']}")
            if peer["cidr"]:
                found.add(f"family:{peer['cidr']['family']}")
            found.add(f"action:{rule['action']}")
            if "unknown" in rule["provenance"].values():
                found.add("unknown:rule")
            if "invalid" in rule["provenance"].values():
                found.add("invalid:rule")
        prios = [r["priority"] for r in sg["rules"] if r["priority"] is not None]
        if len(prios) != len(set(prios)):
            found.add("priority:tie")
        if len(set(prios)) > 1:
            found.add("priority:mixed")
    for cluster in doc["clusters"]:
        found.add(f"plugin:{cluster['network_plugin']}")
        if cluster["node_pools"]:
            found.add("node_pools")
        if "unknown" in cluster["provenance"].values():
            found.add("unknown:cluster")
    if doc["settings"]["exposures"]:
        found.add("exposures")
    found.add(f"profile:{doc['settings']['profile']}")
    if any(v for v in doc["settings"]["overrides"].values()):
        found.add("overrides")
    if len(doc["clusters"]) > 1:
        found.add("clusters:many")
    if any(not r["key"].isascii() for sg in doc["security_groups"] for r in sg["rules"]):
        found.add("non_ascii")
    if not doc["clusters"]:
        found.add("clusters:none")
    return found
