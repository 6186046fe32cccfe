"""Semantics cases of the SG library and CKV_ACK_1..8, on regopy (the scanner's engine) and OPA.

Each case is a normalized document built with the model builders and `assemble`; both engines must
give the expected status for the rule, and the same set of findings.
"""

from __future__ import annotations

import json
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
            key=address,
            address=address,
            file=F,
            line=10,
            direction=direction,
            protocol=protocol,
            port_range=ports,
            **fields,
        )
    )


def group(key: str, rules: list[dict], sg_type: str = "normal", inner: object = True, **kw) -> dict:
    return make_security_group(
        SecurityGroupInput(
            key=key,
            address=key if key.startswith("sg-") else key,
            file=F,
            line=1,
            id=key if key.startswith("sg-") else None,
            sg_type=sg_type,
            inner_access_policy=inner,
            **kw,
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
            key="alicloud_cs_managed_kubernetes.k8s",
            address="alicloud_cs_managed_kubernetes.k8s",
            file=F,
            line=100,
            security_group=sg,
            network_plugin=plugin,
            node_pools=pools or [],
            **base,
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


# Only the modules these cases exercise (entry points, finding constructor, semantics library,
# CKV_ACK_1..8), so that the cases do not depend on the other rules' packages.
MODULES = ["ack/main.rego", "ack/lib/finding.rego", "ack/lib/sg.rego", "ack/lib/flows.rego"] + [
    f"ack/rules/ckv_ack_{n}.rego" for n in range(1, 9)
]


def _modules() -> list[tuple[str, str]]:
    return [(f"policies/{m}", (POLICIES / m).read_text()) for m in MODULES]


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
    data = tmp_path / "data.json"
    data.write_text(json.dumps(_data()))
    args = [opa, "eval", "-f", "json", "-d", str(data), "-i", str(path)]
    for m in MODULES:
        args += ["-d", str(POLICIES / m)]
    proc = subprocess.run(args + ["data.ack.findings"], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)["result"][0]["expressions"][0]["value"]


def canonical(findings: list[dict]) -> list[str]:
    return sorted(json.dumps(f, sort_keys=True) for f in findings)


def statuses(findings: list[dict], rule_id: str) -> set[str]:
    return {f["status"] for f in findings if f["rule_id"] == rule_id}


# ------------------------------------------------------------------ cases

CLUSTER = "alicloud_cs_managed_kubernetes.k8s"


def _basic(rules: list[dict], inner: object = True, **cluster_kw) -> dict:
    return document([group("sg-1", rules, inner=inner)], [cluster("sg-1", **cluster_kw)])


def case_drop_higher_priority() -> dict:
    accepts = [dict(r, priority=5) for r in basic_least("sg-1")]
    return _basic(
        accepts + [rule("sg-1", "block", "ingress", "tcp", "10250/10250", "sg-1", policy="drop", priority=2)]
    )


def case_drop_same_priority() -> dict:
    return _basic(
        basic_least("sg-1", [rule("sg-1", "block", "ingress", "tcp", "10250/10250", "sg-1", policy="drop")])
    )


def case_accept_beats_lower_priority_drop() -> dict:
    return _basic(
        basic_least(
            "sg-1",
            [rule("sg-1", "block", "ingress", "tcp", "10250/10250", "sg-1", policy="drop", priority=2)],
        )
    )


def _split_pool(sgs_of_pool: list[str]) -> dict:
    least = basic_least("sg-1")
    sga = group("sg-a", [dict(r, key="a-" + r["key"]) for r in least[:2]], inner=False)
    sgb = group("sg-b", [dict(r, key="b-" + r["key"]) for r in least[2:]], inner=False)
    return document([group("sg-1", least), sga, sgb], [cluster("sg-1", pools=[pool("np", sgs_of_pool)])])


def case_two_sgs_combine() -> dict:
    return _split_pool(["sg-a", "sg-b"])


def case_one_of_two_sgs() -> dict:
    return _split_pool(["sg-a"])


def case_advanced_no_egress() -> dict:
    return document(
        [
            group(
                "sg-adv",
                [rule("sg-adv", "in_vpc", "ingress", "all", "-1/-1", "10.0.0.0/8")],
                sg_type="enterprise",
            )
        ],
        [cluster("sg-adv")],
    )


def case_advanced_recommended() -> dict:
    return document([group("sg-adv", advanced_recommended(), sg_type="enterprise")], [cluster("sg-adv")])


def case_basic_no_rules_inner_accept() -> dict:
    return _basic([], inner=True)


def case_basic_no_rules_inner_drop() -> dict:
    return _basic([], inner=False)


def _exposed(peer: str, ports: str, protocol: str = "tcp", extra: list[dict] | None = None) -> dict:
    return _basic(
        basic_least("sg-1", [rule("sg-1", "pub", "ingress", protocol, ports, peer)] + (extra or []))
    )


def case_ipv6_any_kubelet() -> dict:
    return _exposed("::/0", "10250/10250")


def case_all_ports_1_65535() -> dict:
    return _exposed("0.0.0.0/0", "1/65535")


def case_all_ports_minus1() -> dict:
    return _exposed("0.0.0.0/0", "-1/-1")


def case_almost_all_ports() -> dict:
    return _exposed("0.0.0.0/0", "1/65534")


def case_exposure_dropped() -> dict:
    drop = rule("sg-1", "deny_all", "ingress", "tcp", "-1/-1", "0.0.0.0/0", policy="drop", priority=1)
    return _exposed("0.0.0.0/0", "1/65535", extra=[drop])


def case_exposure_unknown_peer() -> dict:
    return _exposed(UNKNOWN, "10250/10250")


def case_private_peer() -> dict:
    return _exposed("192.168.0.0/16", "10250/10250")


def case_sg_outside_sources() -> dict:
    return document([], [cluster("sg-ext")])


def case_flannel_pod_cidr_unknown() -> dict:
    return _basic(basic_least("sg-1"), plugin="flannel", pod_cidr=UNKNOWN)


def case_flannel_pod_cidr_allowed() -> dict:
    pod = [rule("sg-1", "pod_all", "ingress", "all", "-1/-1", "172.20.0.0/16")]
    return _basic(basic_least("sg-1", pod), plugin="flannel", pod_cidr="172.20.0.0/16")


def case_plugin_unknown() -> dict:
    return _basic(basic_least("sg-1"), plugin=UNKNOWN)


def case_least_privilege_open_egress() -> dict:
    doc = _basic(basic_least("sg-1"))
    doc["settings"]["profile"] = "least-privilege"
    return doc


def case_least_privilege_recommended_row() -> dict:
    rules = basic_least("sg-1", [rule("sg-1", "all_members", "ingress", "all", "-1/-1", "sg-1")])
    rules.append(rule("sg-1", "deny_out", "egress", "all", "-1/-1", "0.0.0.0/0", policy="drop", priority=100))
    rules.append(rule("sg-1", "out_aliyun", "egress", "all", "-1/-1", "100.64.0.0/10"))
    doc = _basic(rules)
    doc["settings"]["profile"] = "least-privilege"
    return doc


def case_least_privilege_rows() -> dict:
    out = [rule("sg-1", "out_aliyun", "egress", "all", "-1/-1", "100.64.0.0/10")]
    for peer, tag in (("10.1.0.10/32", "slb"), ("sg-1", "sg")):
        out.append(rule("sg-1", f"out_dns_{tag}", "egress", "all", "53/53", peer))
        out += [
            rule("sg-1", f"out_{p}_{tag}", "egress", "tcp", f"{p}/{p}", peer)
            for p in (10250, 10255, 443, 6443)
        ]
    out.append(rule("sg-1", "deny_out", "egress", "all", "-1/-1", "0.0.0.0/0", policy="drop", priority=100))
    doc = _basic(basic_least("sg-1", out))
    doc["settings"]["profile"] = "least-privilege"
    return doc


def case_declared_exposure() -> dict:
    rules = basic_least("sg-1", [rule("sg-1", "web", "ingress", "tcp", "443/443", "0.0.0.0/0")])
    settings = Settings(exposures=[Exposure("ingress", "tcp", 443, 443, ["0.0.0.0/0"])])
    return document([group("sg-1", rules)], [cluster("sg-1")], settings)


def case_undeclared_exposure() -> dict:
    return _basic(basic_least("sg-1", [rule("sg-1", "web", "ingress", "tcp", "443/443", "0.0.0.0/0")]))


def case_cluster_deleted() -> dict:
    doc = _basic([])
    doc["clusters"][0]["change"] = "delete"
    return doc


def case_unknown_priority_drop() -> dict:
    return _basic(
        basic_least(
            "sg-1",
            [rule("sg-1", "block", "ingress", "tcp", "10250/10250", "sg-1", policy="drop", priority=UNKNOWN)],
        )
    )


def case_two_unknown_rules() -> dict:
    u1 = rule("sg-1", "var1", "ingress", "tcp", "10250/10250", UNKNOWN)
    u2 = rule("sg-1", "var2", "ingress", "tcp", "10250/10250", "sg-1", policy="drop", priority=UNKNOWN)
    return _basic(basic_least("sg-1", [u1, u2]))


def case_node_pool_with_hidden_sg() -> dict:
    return document(
        [group("sg-1", basic_least("sg-1"))],
        [cluster("sg-1", pools=[pool("np", ["sg-1", "sg-existing"])])],
    )


CASES = {
    # name: (builder, {rule: expected statuses})
    "higher-priority drop blocks a required flow": (case_drop_higher_priority, {"CKV_ACK_1": {"fail"}}),
    "accept loses to drop at the same priority": (case_drop_same_priority, {"CKV_ACK_1": {"fail"}}),
    "accept beats a lower-priority drop": (case_accept_beats_lower_priority_drop, {"CKV_ACK_1": {"pass"}}),
    "two SGs on one node pool combine": (
        case_two_sgs_combine,
        {"CKV_ACK_1": {"pass"}, "CKV_ACK_4": {"pass"}},
    ),
    "one of the two SGs alone is not enough": (
        case_one_of_two_sgs,
        {"CKV_ACK_1": {"fail"}, "CKV_ACK_4": {"pass"}},
    ),
    "advanced SG without egress rules": (
        case_advanced_no_egress,
        {"CKV_ACK_3": {"fail"}, "CKV_ACK_1": {"pass"}},
    ),
    "advanced SG, recommended rows": (
        case_advanced_recommended,
        {"CKV_ACK_1": {"pass"}, "CKV_ACK_3": {"pass"}, "CKV_ACK_8": {"pass"}},
    ),
    "basic SG members reach each other (inner accept)": (
        case_basic_no_rules_inner_accept,
        {"CKV_ACK_1": {"pass"}, "CKV_ACK_4": {"pass"}, "CKV_ACK_3": {"pass"}},
    ),
    "basic SG members isolated (inner drop)": (
        case_basic_no_rules_inner_drop,
        {"CKV_ACK_1": {"fail"}, "CKV_ACK_4": {"fail"}, "CKV_ACK_3": {"pass"}},
    ),
    "::/0 is the internet": (case_ipv6_any_kubelet, {"CKV_ACK_5": {"fail"}, "CKV_ACK_6": {"pass"}}),
    "1/65535 is every port": (
        case_all_ports_1_65535,
        {"CKV_ACK_6": {"fail"}, "CKV_ACK_5": {"fail"}, "CKV_ACK_7": {"fail"}},
    ),
    "-1/-1 is every port": (case_all_ports_minus1, {"CKV_ACK_6": {"fail"}, "CKV_ACK_5": {"fail"}}),
    "1/65534 is not every port": (case_almost_all_ports, {"CKV_ACK_6": {"pass"}, "CKV_ACK_5": {"fail"}}),
    "a drop at the same priority stops the exposure": (
        case_exposure_dropped,
        {"CKV_ACK_5": {"pass"}, "CKV_ACK_6": {"pass"}, "CKV_ACK_8": {"pass"}},
    ),
    "an accept whose peer is unknown": (
        case_exposure_unknown_peer,
        {"CKV_ACK_5": {"unknown"}, "CKV_ACK_8": {"unknown"}},
    ),
    "a private peer is not the internet": (case_private_peer, {"CKV_ACK_5": {"pass"}}),
    "an SG outside the sources gives unknown": (
        case_sg_outside_sources,
        {"CKV_ACK_1": {"unknown"}, "CKV_ACK_3": {"unknown"}, "CKV_ACK_4": {"unknown"}},
    ),
    "Flannel, pod CIDR unknown": (
        case_flannel_pod_cidr_unknown,
        {"CKV_ACK_2": {"unknown"}, "CKV_ACK_1": {"pass"}},
    ),
    "Flannel, pod CIDR allowed": (
        case_flannel_pod_cidr_allowed,
        {"CKV_ACK_2": {"pass"}, "CKV_ACK_8": {"pass"}},
    ),
    "network plugin unknown": (case_plugin_unknown, {"CKV_ACK_2": {"unknown"}}),
    "least privilege: basic outbound default is open": (
        case_least_privilege_open_egress,
        {"CKV_ACK_8": {"fail"}},
    ),
    "least privilege: recommended rows go beyond it": (
        case_least_privilege_recommended_row,
        {"CKV_ACK_8": {"fail"}, "CKV_ACK_3": {"fail"}},
    ),
    "least privilege: the guide's rows": (
        case_least_privilege_rows,
        {f"CKV_ACK_{n}": {"pass"} for n in (1, 3, 4, 5, 6, 7, 8)},
    ),
    "declared exposure is permitted": (case_declared_exposure, {"CKV_ACK_8": {"pass"}}),
    "undeclared exposure is beyond the profile": (case_undeclared_exposure, {"CKV_ACK_8": {"fail"}}),
    "a drop of unknown priority": (case_unknown_priority_drop, {"CKV_ACK_1": {"unknown"}}),
    "several rules with unknown fields": (
        case_two_unknown_rules,
        {"CKV_ACK_1": {"unknown"}, "CKV_ACK_5": {"unknown"}},
    ),
    "node pool with an SG outside the sources": (
        case_node_pool_with_hidden_sg,
        {"CKV_ACK_1": {"unknown"}, "CKV_ACK_3": {"unknown"}},
    ),
    "a deleted cluster is skipped": (case_cluster_deleted, {f"CKV_ACK_{n}": set() for n in range(1, 9)}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_semantics(name: str, tmp_path: Path) -> None:
    """Expected statuses under regopy; the same statuses and the same findings under OPA."""
    pytest.importorskip("regopy")
    build, expected = CASES[name]
    doc = build()
    findings = regopy_findings(doc)
    for rule_id, want in expected.items():
        assert statuses(findings, rule_id) == want, (
            rule_id,
            [f for f in findings if f["rule_id"] == rule_id],
        )
    if _opa() is None:
        pytest.skip("opa not found (/root/gobin/opa or on PATH): regopy half only")
    from_opa = opa_findings(doc, tmp_path)
    for rule_id, want in expected.items():
        assert statuses(from_opa, rule_id) == want, (
            rule_id,
            [f for f in from_opa if f["rule_id"] == rule_id],
        )
    assert canonical(from_opa) == canonical(findings)


def test_messages_name_the_rule_and_priority() -> None:
    findings = regopy_findings(case_drop_higher_priority())
    [fail] = [f for f in findings if f["rule_id"] == "CKV_ACK_1" and f["status"] == "fail"]
    assert (
        "TCP 10250 from sg-1 (cluster SG) is dropped by rule alicloud_security_group_rule.block at priority 2"
        in fail["message"]
    )
    assert fail["resource"] == CLUSTER
    assert "AuthorizeSecurityGroup" in fail["remediation"]["cli"]
    assert "priority          = 1" in fail["remediation"]["terraform"]


# ------------------------------------------------------------------ the guide's tables as data

GUIDE = ROOT.parent / "shared" / "spec" / "ack-cluster-security-groups.txt"


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_table_rows_trace_to_the_guide() -> None:
    """Every row's guide_row names a table of the guide and cells that appear in its text."""
    if not GUIDE.exists():
        pytest.skip(f"the guide is not beside the repository ({GUIDE})")
    guide = _norm(GUIDE.read_text())
    tables = json.loads((POLICIES / "ack/tables/data.json").read_text())
    assert len(tables["rows"]) == len({r["id"] for r in tables["rows"]})
    for row in tables["rows"]:
        where, _, cells = row["guide_row"].partition(": ")
        title, direction, profile = where.split(" > ")
        assert title in guide and direction in guide and profile in guide, row["id"]
        assert row["direction"] == ("ingress" if direction == "Inbound" else "egress"), row["id"]
        assert row["profile"] == (
            "recommended" if profile == "Recommended settings" else "least-privilege"
        ), row["id"]
        for cell in cells.split(", "):
            assert _norm(cell) in guide, (row["id"], cell)
        assert row["flannel_only"] == (row["peer"] == "pod_cidr"), row["id"]


def test_table_covers_each_guide_table() -> None:
    tables = json.loads((POLICIES / "ack/tables/data.json").read_text())
    seen = {(r["sg_type"], r["direction"], r["profile"]) for r in tables["rows"]}
    assert seen == {
        (t, d, p)
        for t in ("basic", "advanced")
        for d in ("ingress", "egress")
        for p in ("recommended", "least-privilege")
    }
