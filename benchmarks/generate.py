"""Seeded, deterministic synthetic inputs for the benchmarks, in all four input kinds.

A scale is (clusters, rules per cluster's SG set). Every cluster is one model in the form of
fixtures/rules/render.py (whose renderers write it as Terraform HCL, plan JSON, ROS and API
exports), built from the guide's base cluster plus seeded random rules. Cluster `i` of a scale is
the same at every cluster count (its random stream depends on seed, i and the rule count only), so
a bigger scale is the smaller one plus more clusters: that is what makes growth comparable.

Layout, under benchmarks/generated/<scale>/ (gitignored):

    terraform_hcl/cluster-0000/main.tf      one module folder per cluster
    terraform_plan/cluster-0000.json        one create plan per cluster (IDs unknown until apply)
    ros/cluster-0000.yaml                   one ROS template per cluster
    api_export/cluster-0000/*.json          aliyun CLI responses of one cluster, all read together
    manifest.json                           seed, counts, bytes (a scale is regenerated when it differs)

`python -m benchmarks.generate [--clusters N --rules R ...]` writes the default scales.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import math
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "benchmarks" / "generated"
RENDER = ROOT / "fixtures" / "rules" / "render.py"
KINDS = ("terraform_hcl", "terraform_plan", "ros", "api_export")
DEFAULT_SEED = 20261126
GENERATOR_VERSION = 1
RULES_PER_SG = 200  # Alibaba's quota per security group; 5 SGs per ENI make the 1,000-rule limit
Model = dict[str, Any]


@dataclass(frozen=True, order=True)
class Scale:
    clusters: int
    rules: int  # rules in each cluster's SG set (all the SGs its nodes are in)

    @property
    def name(self) -> str:
        return f"c{self.clusters}-r{self.rules}"

    @classmethod
    def parse(cls, name: str) -> Scale:
        head, _, tail = name.partition("-")
        if not (head.startswith("c") and tail.startswith("r")):
            raise ValueError(f"scale name {name!r} is not c<clusters>-r<rules>")
        return cls(int(head[1:]), int(tail[1:]))


def _render_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("checkov_ack_fixture_render", RENDER)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {RENDER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_RENDER: ModuleType | None = None


def render() -> ModuleType:
    """fixtures/rules/render.py, loaded once (the fixture renderers are the one source of truth
    for how a cluster model looks in each input kind)."""
    global _RENDER
    if _RENDER is None:
        _RENDER = _render_module()
    return _RENDER


# ---------------------------------------------------------------- cluster models

_TCP_PORTS = (22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9090, 9100, 27017)
_UDP_PORTS = (53, 123, 161, 4789, 8472)


def _ports(rng: random.Random, protocol: str) -> str:
    if protocol in ("icmp", "all"):
        return "-1/-1"
    pick = rng.random()
    if pick < 0.5:
        port = rng.choice(_TCP_PORTS if protocol == "tcp" else _UDP_PORTS)
        return f"{port}/{port}"
    if pick < 0.75:
        port = rng.randint(1024, 65535)
        return f"{port}/{port}"
    if pick < 0.9:
        low = rng.randint(1024, 60000)
        return f"{low}/{low + rng.randint(1, 500)}"
    return "30000/32767"


def _peer(rng: random.Random, sgs: list[str], advanced: bool) -> str:
    pick = rng.random()
    if pick < 0.55:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.0/24"
    if pick < 0.70:
        return f"192.168.{rng.randint(0, 255)}.0/{rng.choice((24, 25, 26, 28))}"
    if pick < 0.80:
        return f"203.0.113.{rng.randint(0, 255)}/32"
    if pick < 0.84:
        return "0.0.0.0/0"
    if pick < 0.89:
        return f"2408:4000:{rng.randint(0, 0xFFFF):x}::/48"
    if pick < 0.90:
        return "::/0"
    if advanced and pick < 0.99:  # advanced SGs may not reference SGs (CKV_ACK_10): mostly CIDRs
        return f"10.{rng.randint(0, 255)}.0.0/16"
    return f"sg:{rng.choice(sgs)}"


def _random_rule(rng: random.Random, name: str, sg: str, sgs: list[str], advanced: bool) -> Model:
    protocol = rng.choices(("tcp", "udp", "icmp", "all"), weights=(60, 25, 8, 7))[0]
    return {
        "name": name,
        "sg": sg,
        "direction": "ingress" if rng.random() < 0.75 else "egress",
        "protocol": protocol,
        "ports": _ports(rng, protocol),
        "peer": _peer(rng, sgs, advanced),
        "action": "drop" if rng.random() < 0.1 else "accept",
        "priority": rng.randint(1, 100),
    }


def cluster_model(index: int, rules: int, seed: int = DEFAULT_SEED) -> Model:
    """Cluster `index` with `rules` rules in its SG set, as a render.py model.

    Three clusters in four are basic SGs with Flannel, one in four advanced SGs with Terway (the
    two bases of the rule fixtures). One cluster in ten exposes the kubelet to the internet, so
    reports carry failures too. More than 200 rules spread over up to five SGs that one node pool
    puts on its nodes.
    """
    rng = random.Random(f"checkov-ack-bench:{seed}:{index}:{rules}")
    advanced = index % 4 == 3
    base = copy.deepcopy(render().BASES["advanced-terway" if advanced else "basic-flannel"])
    prefix = f"c{index:04d}"
    n_sgs = max(1, math.ceil(rules / RULES_PER_SG))
    sgs = [f"{prefix}sg{k}" for k in range(n_sgs)]
    sg_type = "enterprise" if advanced else "normal"
    inner = None if advanced else "Accept"
    model: Model = {
        "vpc": {"name": f"{prefix}-vpc", "cidr": base["vpc"]["cidr"]},
        "vswitches": [{**v, "name": f"{prefix}{v['name']}"} for v in base["vswitches"]],
        "sgs": [{"name": s, "type": sg_type, "inner": inner} for s in sgs],
        "rules": [],
        "cluster": {**base["cluster"], "name": f"ack-{index:04d}", "security_group": sgs[0]},
        "node_pools": [{"name": f"{prefix}pool", "sgs": sgs}] if n_sgs > 1 else [],
        "delete_sg": False,
    }
    for rule in base["rules"]:
        peer = f"sg:{sgs[0]}" if rule["peer"] == "sg:cluster" else rule["peer"]
        model["rules"].append(
            {
                **rule,
                "name": f"{prefix}{rule['name']}",
                "sg": sgs[0],
                "peer": peer,
                "action": "accept",
                "priority": 1,
            }
        )
    extra = max(0, rules - len(model["rules"]))
    for k in range(extra):
        sg = sgs[(len(model["rules"])) // RULES_PER_SG] if n_sgs > 1 else sgs[0]
        model["rules"].append(_random_rule(rng, f"{prefix}r{k:04d}", sg, sgs, advanced))
    if index % 10 == 7 and extra:
        model["rules"][-1].update(
            direction="ingress",
            protocol="tcp",
            ports="10250/10250",
            peer="0.0.0.0/0",
            action="accept",
            priority=1,
        )
    for rule in model["rules"]:
        rule["ports"] = str(rule["ports"])
    return model


# ---------------------------------------------------------------- writing


def _api_files(model: Model, index: int) -> dict[str, str]:
    files, _ = render().render_api(model)
    # The fixture renderer has one cluster per scan; here many are scanned together, so the
    # cluster and VPC IDs must be unique (SG, vSwitch and rule IDs already carry the prefix).
    unique = {
        "c0123456789abcdef0123456789abcdef": f"c{index:032x}",
        "vpc-bp1ackfixture00001": f"vpc-bp1bench{index:010d}",
    }
    out = {}
    for name, text in files.items():
        for old, new in unique.items():
            text = text.replace(old, new)
        out[name] = text
    return out


def write_cluster(model: Model, index: int, kind: str, folder: Path) -> list[Path]:
    """Write one cluster in one input kind under folder; the files written."""
    name = f"cluster-{index:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "terraform_hcl":
        text, _ = render().render_hcl(model)
        path = folder / name / "main.tf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        return [path]
    if kind == "terraform_plan":
        text, _ = render().render_plan(model)
        path = folder / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        return [path]
    if kind == "ros":
        text, _ = render().render_ros(model)
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return [path]
    if kind == "api_export":
        written = []
        for file_name, body in _api_files(model, index).items():
            path = folder / name / file_name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
            written.append(path)
        return written
    raise ValueError(f"unknown kind {kind!r}")


def scale_dir(scale: Scale, root: Path = GENERATED) -> Path:
    return root / scale.name


def input_path(scale: Scale, kind: str, root: Path = GENERATED) -> Path:
    """What a scanner is pointed at for this scale and kind (a folder)."""
    return scale_dir(scale, root) / kind


def _manifest_key(scale: Scale, seed: int, kinds: tuple[str, ...]) -> dict[str, Any]:
    return {
        "generator": GENERATOR_VERSION,
        "seed": seed,
        "clusters": scale.clusters,
        "rules": scale.rules,
        "kinds": list(kinds),
    }


def read_manifest(scale: Scale, root: Path = GENERATED) -> dict[str, Any] | None:
    path = scale_dir(scale, root) / "manifest.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return value if isinstance(value, dict) else None


def generate(
    scale: Scale,
    root: Path = GENERATED,
    seed: int = DEFAULT_SEED,
    kinds: tuple[str, ...] = KINDS,
    force: bool = False,
) -> dict[str, Any]:
    """Write the scale's inputs (skipped when an identical manifest is there); its manifest."""
    key = _manifest_key(scale, seed, kinds)
    old = read_manifest(scale, root)
    if not force and old is not None and all(old.get(k) == v for k, v in key.items()):
        return old
    base = scale_dir(scale, root)
    if base.exists():
        shutil.rmtree(base)
    stats: dict[str, dict[str, int]] = {k: {"files": 0, "bytes": 0} for k in kinds}
    for index in range(scale.clusters):
        model = cluster_model(index, scale.rules, seed)
        for kind in kinds:
            for path in write_cluster(model, index, kind, base / kind):
                stats[kind]["files"] += 1
                stats[kind]["bytes"] += path.stat().st_size
    manifest = {**key, "inputs": stats}
    (base / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


DEFAULT_SCALES = (
    Scale(1, 20),
    Scale(10, 20),
    Scale(100, 20),
    Scale(1000, 20),
    Scale(1, 200),
    Scale(1, 1000),
    Scale(10, 1000),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("scales", nargs="*", metavar="cN-rR", help="scales (default: the benchmark's)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--root", type=Path, default=GENERATED)
    parser.add_argument("--force", action="store_true", help="rewrite even when the manifest matches")
    args = parser.parse_args(argv)
    scales = [Scale.parse(s) for s in args.scales] or list(DEFAULT_SCALES)
    for scale in scales:
        manifest = generate(scale, args.root, args.seed, force=args.force)
        sizes = ", ".join(
            f"{k} {v['files']} files {v['bytes'] / 1e6:.1f} MB" for k, v in manifest["inputs"].items()
        )
        print(f"{scale.name}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
