"""Semantics cases of the SG library and CKV_ACK_1..8, on regopy (the scanner's engine) and OPA.

Each case is a normalized document built with the model builders and `assemble`; both engines must
give the expected status for the rule, and the same set of findings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from checkov_ack.model.assemble import assemble
from checkov_ack.model.document import (
    UNKNOWN,
    ClusterInput,
    NodePoolInput,
    RuleInput,
    SecurityGroupInput,
    VSwitchInput,
    empty_part,
    make_cluster,
    make_rule,
    make_security_group,
)
from checkov_ack.model.settings import Exposure, Settings

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
F = "main.tf"

# ------------------------------------------------------------------ document builders


def rule(sg: str, name: str, direction: str, protocol: str, ports: str, peer: object = None, **kw) -> dict:
    """A rule of SG `sg`; peer is a CIDR text, an SG key (starting with 'sg-' or 'alicloud_'), or UNKNOWN."""
    fields: dict = {}
    if peer is UNKNOWN:
        fields["cidr_ip"] = UNKNOWN
    elif isinstance(peer, str) and (peer.startswith("sg-") or peer.startswith("alicloud_security_group.")):
        fields["peer_sg_id"] = peer
    elif isinstance(peer, str) and ":" in peer:
        fields["ipv6_cidr_ip"] = peer
    elif peer is not None:
        fields["cidr_ip"] = peer
    fields.update(kw)
    address = f"alicloud_security_group_rule.{name}"
    return make_rule(
        RuleInput(
            key=address, address=address, file=F, line=10, direction=direction, protocol=protocol,
            port_range=ports, **fields,
        )
    )


def group(key: str, rules: list[dict], sg_type: str = "normal", inner: object = True, **kw) -> dict:
    return make_security_group(
        SecurityGroupInput(
            key=key, address=key if key.startswith("sg-") else key, file=F, line=1, id=key if key.startswith("sg-") else None,
            sg_type=sg_type, inner_access_policy=inner, **kw,
        ),
        rules,
    )


def cluster(sg: object, pools: list[NodePoolInput] | None = None, plugin: object = "terway", **kw) -> dict:
    base = dict(
        vpc_cidr="10.0.0.0/8",
        node_vswitches=[VSwitchInput(id="vsw-1", cidr="10.1.0.0/16")],
        pod_vswitches=[],
        api_server_address="10.1.0.10",
    )
    base.update(kw)
    return make_cluster(
        ClusterInput(
            key="alicloud_cs_managed_kubernetes.k8s", address="alicloud_cs_managed_kubernetes.k8s", file=F,
            line=100, security_group=sg, network_plugin=plugin, node_pools=pools or [], **base,
        )
    )


def pool(name: str, sgs: object) -> NodePoolInput:
    address = f"alicloud_cs_kubernetes_node_pool.{name}"
    return NodePoolInput(key=address, address=address, file=F, line=200, security_groups=sgs)


def document(sgs: list[dict], clusters: list[dict], settings: Settings | None = None) -> dict:
    part = empty_part(F, "terraform_hcl")
    part["security_groups"] = sgs
    part["clusters"] = clusters
    return assemble([part], settings or Settings())


# The least-privilege rows of a basic SG, allowing from the cluster SG itself.
def basic_least(sg: str, extra: list[dict] | None = None, egress: bool = False) -> list[dict]:
    rules = [
        rule(sg, "dns", "ingress", "all", "53/53", sg),
        rule(sg, "icmp", "ingress", "icmp", "-1/-1", sg),
    ] + [rule(sg, f"tcp{p}", "ingress", "tcp", f"{p}/{p}", sg) for p in (10250, 10255, 443, 6443, 8082)]
    return rules + (extra or [])


def advanced_recommended(extra: list[dict] | None = None) -> list[dict]:
    return [
        rule("sg-adv", "in_vpc", "ingress", "all", "-1/-1", "10.0.0.0/8"),
        rule("sg-adv", "out_all", "egress", "all", "-1/-1", "0.0.0.0/0"),
    ] + (extra or [])


# ------------------------------------------------------------------ engines


def _modules() -> list[tuple[str, str]]:
    return [
        (str(p.relative_to(ROOT)), p.read_text())
        for p in sorted(POLICIES.rglob("*.rego"))
        if not p.name.endswith("_test.rego")
    ]


def _data() -> dict:
    return {
        "ack": {
            "catalog": json.loads((POLICIES / "ack/catalog/data.json").read_text()),
            "tables": json.loads((POLICIES / "ack/tables/data.json").read_text()),
        }
    }


def regopy_findings(doc: dict) -> list[dict]:
    import regopy

    interp = regopy.Interpreter()
    interp.strict_built_in_errors = True
    for name, text in _modules():
        interp.add_module(name, text)
    interp.add_data_json(json.dumps(_data()))
    interp.set_input_term(json.dumps(doc))
    out = interp.query("x := data.ack.findings")
    result = json.loads(str(out))
    assert "bindings" in result, f"regopy failed: {out}"
    return result["bindings"]["x"]


def _opa() -> str | None:
    if Path("/root/gobin/opa").exists():
        return "/root/gobin/opa"
    return shutil.which("opa")


def opa_findings(doc: dict, tmp_path: Path) -> list[dict]:
    opa = _opa()
    assert opa
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    proc = subprocess.run(
        [opa, "eval", "-f", "json", "-d", str(POLICIES), "-i", str(path), "data.ack.findings"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(proc.stdout)["result"][0]["expressions"][0]["value"]


def canonical(findings: list[dict]) -> list[str]:
    return sorted(json.dumps(f, sort_keys=True) for f in findings)


def statuses(findings: list[dict], rule_id: str) -> set[str]:
    return {f["status"] for f in findings if f["rule_id"] == rule_id}
