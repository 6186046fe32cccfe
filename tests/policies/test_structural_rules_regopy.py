"""CKV_ACK_9 .. CKV_ACK_15 on documents built with the model builders, under regopy and OPA.

Each case builds parts with `make_rule` / `make_security_group` / `make_cluster`, assembles them,
evaluates the structural rules (their modules and the libraries they import, so that work in
progress in other rules cannot break these tests) and compares the statuses with the catalog.
The same document must give identical findings under regopy (strict builtin errors) and
`opa eval` (skipped when no opa binary is found), and the union of the findings of
`unit_documents` must equal the findings of the whole document.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checkov_ack.model.assemble import assemble, unit_documents
from checkov_ack.model.document import (
    UNKNOWN,
    ClusterInput,
    NodePoolInput,
    RuleInput,
    SecurityGroupInput,
    empty_part,
    make_cluster,
    make_rule,
    make_security_group,
)
from checkov_ack.model.settings import Settings
from helpers import ROOT

regopy = pytest.importorskip("regopy")

POLICIES = ROOT / "policies"
MINE = {f"CKV_ACK_{n}" for n in range(9, 16)}
QUERY = (
    "[f | some n in ["
    + ", ".join(f'"ckv_ack_{n}"' for n in range(9, 16))
    + "]; some f in data.ack.rules[n].findings]"
)
F = "main.tf"


def _opa() -> str | None:
    for candidate in ("/root/gobin/opa", shutil.which("opa")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


OPA = _opa()


# -- builders --------------------------------------------------------------------------------


def rule(key: str, **kw) -> dict:
    kw.setdefault("direction", "ingress")
    kw.setdefault("protocol", "tcp")
    kw.setdefault("port_range", "443/443")
    if not any(k in kw for k in ("cidr_ip", "ipv6_cidr_ip", "peer_sg_id", "prefix_list_id")):
        kw["cidr_ip"] = "10.0.0.0/8"
    return make_rule(RuleInput(key=key, address=key, file=F, line=1, **kw))


def sg(key: str, rules: list[dict], sg_type: str | None = "normal", **kw) -> dict:
    return make_security_group(
        SecurityGroupInput(key=key, address=key, file=F, line=1, sg_type=sg_type, **kw), rules
    )


def cluster(key: str = "c", **kw) -> dict:
    kw.setdefault("network_plugin", "terway")
    return make_cluster(ClusterInput(key=key, address=key, file=F, line=1, **kw))


def pool(key: str, sgs, **kw) -> NodePoolInput:
    return NodePoolInput(key=key, address=key, file=F, line=1, security_groups=sgs, **kw)


def doc(sgs: list[dict], clusters: list[dict] | None = None) -> dict:
    part = empty_part(F, "terraform_hcl")
    part["security_groups"] = sgs
    part["clusters"] = clusters or []
    return assemble([part], Settings())


# -- engines ---------------------------------------------------------------------------------


# The modules the structural rules need. Loading only these keeps the tests about these rules
# (and fast: regopy recompiles every module on each query).
MODULES = ["ack/lib/finding.rego", "ack/lib/structure.rego"] + [
    f"ack/rules/ckv_ack_{n}.rego" for n in range(9, 16)
]


def _modules() -> list[tuple[str, str]]:
    return [(name, (POLICIES / name).read_text()) for name in MODULES]


def _catalog() -> dict:
    return json.loads((POLICIES / "ack" / "catalog" / "data.json").read_text())


def _mine(findings: list[dict]) -> list[dict]:
    out = [f for f in findings if f["rule_id"] in MINE]
    return sorted(out, key=lambda f: json.dumps(f, sort_keys=True))


_BUNDLE: list = []


def _bundle():
    """The structural rules compiled once (as the engine does), then queried per document."""
    if not _BUNDLE:
        interp = regopy.Interpreter()
        interp.strict_built_in_errors = True
        for name, text in _modules():
            interp.add_module(name, text)
        interp.add_data({"ack": {"catalog": _catalog()}})
        _BUNDLE.append(interp.build(f"x := {QUERY}", []))
    return _BUNDLE[0]


def regopy_findings(document: dict) -> list[dict]:
    interp = regopy.Interpreter()
    interp.strict_built_in_errors = True
    interp.set_input_term(json.dumps(document))
    out = interp.query_bundle(_bundle())
    text = str(out)
    assert "<error>" not in text, text
    result = json.loads(text)
    return _mine(result["bindings"]["x"])


def opa_findings(document: dict, tmp_path: Path) -> list[dict]:
    assert OPA
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document))
    bundle = tmp_path / "policies"
    for name in [*MODULES, "ack/catalog/data.json"]:
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(POLICIES / name, bundle / name)
    proc = subprocess.run(
        [OPA, "eval", "--format", "json", "-d", str(bundle), "-i", str(path), QUERY],
        capture_output=True,
        text=True,
        check=True,
    )
    value = json.loads(proc.stdout)["result"][0]["expressions"][0]["value"]
    return _mine(value)


def evaluate(document: dict, tmp_path: Path) -> list[dict]:
    found = regopy_findings(document)
    if OPA:
        assert opa_findings(document, tmp_path) == found, "regopy and OPA disagree"
    units: list[dict] = []
    for unit in unit_documents(document):
        units.extend(regopy_findings(unit))
    union = {json.dumps(f, sort_keys=True) for f in units}
    assert union == {json.dumps(f, sort_keys=True) for f in found}, "per-unit findings differ"
    return found


def statuses(findings: list[dict], rule_id: str) -> list[tuple[str, str]]:
    return sorted((f["status"], f["resource"]) for f in findings if f["rule_id"] == rule_id)


def messages(findings: list[dict], rule_id: str, status: str) -> list[str]:
    return sorted(f["message"] for f in findings if f["rule_id"] == rule_id and f["status"] == status)


# -- CKV_ACK_9 -------------------------------------------------------------------------------


def test_ckv_ack_9_terway_pod_cidr_rule_fails(tmp_path):
    d = doc(
        [sg("sg-1", [rule("r-pod", cidr_ip="172.20.1.0/24"), rule("r-vpc", cidr_ip="192.168.0.0/16")])],
        [cluster(security_group="sg-1", pod_cidr="172.20.0.0/16")],
    )
    found = evaluate(d, tmp_path)
    assert statuses(found, "CKV_ACK_9") == [("fail", "r-pod")]
    assert "172.20.0.0/16" in messages(found, "CKV_ACK_9", "fail")[0]
    fail = next(f for f in found if f["status"] == "fail")
    assert set(fail["remediation"]) == {"terraform", "ros", "cli"}


def test_ckv_ack_9_passes_flannel_skips_and_unknowns(tmp_path):
    sgs = [sg("sg-1", [rule("r-pod", cidr_ip="172.20.0.0/16")]), sg("sg-2", [rule("r2")])]
    clusters = [
        cluster("flannel", network_plugin="flannel", security_group="sg-1", pod_cidr="172.20.0.0/16"),
        cluster("terway-ok", security_group="sg-2", pod_cidr="172.20.0.0/16"),
        cluster("terway-nopod", security_group="sg-1"),
        cluster("terway-unknown-pod", security_group="sg-2", pod_cidr=UNKNOWN),
        cluster("plugin-unknown", network_plugin=None, security_group="sg-1", pod_cidr="172.20.0.0/16"),
    ]
    found = evaluate(doc(sgs, clusters), tmp_path)
    assert statuses(found, "CKV_ACK_9") == [
        ("pass", "terway-nopod"),
        ("pass", "terway-ok"),
        ("unknown", "r-pod"),
        ("unknown", "terway-unknown-pod"),
    ]


def test_ckv_ack_9_referenced_sg_is_unknown(tmp_path):
    d = doc([], [cluster(security_group="sg-elsewhere", pod_cidr="172.20.0.0/16")])
    found = evaluate(d, tmp_path)
    assert statuses(found, "CKV_ACK_9") == [("unknown", "c")]


# -- CKV_ACK_10 ------------------------------------------------------------------------------


def test_ckv_ack_10_sg_peers(tmp_path):
    sgs = [
        sg("sg-adv", [rule("adv-sg-peer", peer_sg_id="sg-basic"), rule("adv-cidr")], sg_type="enterprise"),
        sg(
            "sg-basic",
            [rule("basic-to-adv", peer_sg_id="sg-adv"), rule("basic-to-basic", peer_sg_id="sg-b2")],
        ),
        sg("sg-b2", [rule("to-outside", peer_sg_id="sg-not-scanned")]),
        sg("sg-ok", [rule("plain")], sg_type="enterprise"),
        sg("sg-typeless", [rule("typeless-sg-peer", peer_sg_id="sg-ok2")], sg_type=UNKNOWN),
        sg("sg-ok2", [rule("x")]),
    ]
    found = evaluate(doc(sgs, [cluster(security_group="sg-basic")]), tmp_path)
    assert statuses(found, "CKV_ACK_10") == [
        ("fail", "adv-sg-peer"),
        ("fail", "basic-to-adv"),
        ("pass", "sg-ok"),
        ("pass", "sg-ok2"),
        ("unknown", "to-outside"),
        ("unknown", "typeless-sg-peer"),
    ]


# -- CKV_ACK_11 ------------------------------------------------------------------------------


def test_ckv_ack_11_deleted_sg_of_live_cluster(tmp_path):
    sgs = [
        sg("sg-del", [], action="delete"),
        sg("sg-rep", [], action="replace"),
        sg("sg-gone-with-cluster", [], action="delete"),
        sg("sg-gone-with-pool", [], action="delete"),
        sg("sg-keep", []),
    ]
    clusters = [
        cluster(
            "live",
            security_group="sg-del",
            action="update",
            node_pools=[pool("np1", ["sg-rep"]), pool("np-del", ["sg-gone-with-pool"], action="delete")],
        ),
        cluster("dying", security_group="sg-gone-with-cluster", action="delete"),
        cluster("fine", security_group="sg-keep"),
    ]
    found = evaluate(doc(sgs, clusters), tmp_path)
    assert statuses(found, "CKV_ACK_11") == [
        ("fail", "sg-del"),
        ("fail", "sg-rep"),
        ("pass", "dying"),
        ("pass", "fine"),
    ]


# -- CKV_ACK_12 ------------------------------------------------------------------------------


def test_ckv_ack_12_invisible_sgs(tmp_path):
    clusters = [
        cluster("acked"),
        cluster("referenced", security_group="sg-existing"),
        cluster("declared", security_group="sg-1"),
        cluster("unknown-sg", security_group=UNKNOWN),
        cluster("pool-unknown", security_group="sg-1", node_pools=[pool("np", UNKNOWN)]),
    ]
    found = evaluate(doc([sg("sg-1", [rule("r")])], clusters), tmp_path)
    assert statuses(found, "CKV_ACK_12") == [
        ("pass", "declared"),
        ("unknown", "acked"),
        ("unknown", "np"),
        ("unknown", "referenced"),
        ("unknown", "unknown-sg"),
    ]
    assert any("ACK creates it" in m for m in messages(found, "CKV_ACK_12", "unknown"))
    assert all(f["severity"] == "INFO" for f in found if f["rule_id"] == "CKV_ACK_12")


# -- CKV_ACK_13 ------------------------------------------------------------------------------


def test_ckv_ack_13_malformed_rules(tmp_path):
    rules = [
        rule("bad-text", port_range="10.0.0.0/8"),
        rule("reversed", port_range="200/1"),
        rule("minus", port_range="1/-1"),
        rule("bounds", port_range="0/70000"),
        rule("icmp-ports", protocol="icmp", port_range="1/2"),
        rule("all-53", protocol="all", port_range="53/53"),
        rule("prio-high", priority=101),
        rule("prio-text", priority="high"),
        rule("no-peer", cidr_ip=None, peer_sg_id=None, prefix_list_id=None),
        rule("bad-peer", cidr_ip="10.0.0.300/8"),
        rule("bad-proto", protocol="sctp"),
        rule("bad-dir", direction="sideways"),
        rule("bad-policy", policy="reject"),
        rule("tcp-all", port_range="-1/-1"),
        rule("ok", port_range="1/65535"),
    ]
    found = evaluate(doc([sg("sg-m", rules)]), tmp_path)
    fails = statuses(found, "CKV_ACK_13")
    assert ("pass", "sg-m") not in fails
    by_rule: dict[str, int] = {}
    for status, res in fails:
        assert status == "fail"
        by_rule[res] = by_rule.get(res, 0) + 1
    assert by_rule == {
        "bad-text": 1,
        "reversed": 1,
        "minus": 2,
        "bounds": 1,
        "icmp-ports": 1,
        "all-53": 1,
        "prio-high": 1,
        "prio-text": 1,
        "no-peer": 1,
        "bad-peer": 1,
        "bad-proto": 1,
        "bad-dir": 1,
        "bad-policy": 1,
    }
    text = " ".join(messages(found, "CKV_ACK_13", "fail"))
    for needle in (
        '"10.0.0.0/8"',
        '"200/1"',
        "101",
        '"high"',
        '"10.0.0.300/8"',
        '"sctp"',
        '"sideways"',
        '"reject"',
    ):
        assert needle in text


def test_ckv_ack_13_unknown_and_pass(tmp_path):
    sgs = [
        sg("sg-u", [rule("u-port", port_range=UNKNOWN), rule("u-peer", cidr_ip=UNKNOWN)]),
        sg("sg-ok", [rule("ok1"), rule("ok2", protocol="icmp", port_range="-1/-1")]),
    ]
    found = evaluate(doc(sgs), tmp_path)
    assert statuses(found, "CKV_ACK_13") == [("pass", "sg-ok"), ("unknown", "u-peer"), ("unknown", "u-port")]


# -- CKV_ACK_14 ------------------------------------------------------------------------------


def test_ckv_ack_14_dead_rules_in_lone_sg(tmp_path):
    rules = [
        rule("drop-all", protocol="all", port_range="-1/-1", cidr_ip="0.0.0.0/0", policy="drop", priority=10),
        rule("dead", port_range="22/22", cidr_ip="1.2.3.0/24", priority=10),
        rule("wins", port_range="22/22", cidr_ip="1.2.3.0/24", priority=5),
        rule("other-dir", direction="egress", port_range="22/22", cidr_ip="1.2.3.0/24", priority=50),
        rule("v6", port_range="22/22", ipv6_cidr_ip="2001:db8::/32", priority=50),
    ]
    found = evaluate(doc([sg("sg-1", rules)]), tmp_path)
    assert statuses(found, "CKV_ACK_14") == [("fail", "dead")]
    assert "drop-all" in messages(found, "CKV_ACK_14", "fail")[0]


def test_ckv_ack_14_node_sets_and_unknowns(tmp_path):
    sgs = [
        sg("sg-a", [rule("acc-a", port_range="80/80", priority=20)]),
        sg("sg-b", [rule("drop-b", port_range="1/65535", cidr_ip="10.0.0.0/8", policy="drop", priority=1)]),
        sg("sg-c", [rule("acc-c", port_range="80/80", priority=20)]),
        sg("sg-d", [rule("drop-d", port_range=UNKNOWN, policy="drop", priority=1)]),
        sg("sg-e", [rule("acc-e", port_range="80/80")]),
    ]
    clusters = [
        # sg-a shares nodes with sg-b everywhere: dead. sg-c also sits alone in another pool: alive.
        cluster(
            "c1",
            security_group="sg-b",
            node_pools=[pool("p1", ["sg-a", "sg-b"]), pool("p2", ["sg-c", "sg-b"]), pool("p3", ["sg-c"])],
        ),
        # sg-e shares nodes with a drop whose ports are unknown: unknown.
        cluster("c2", security_group="sg-e", node_pools=[pool("p4", ["sg-e", "sg-d"])]),
        cluster("c3", security_group="sg-c"),
    ]
    found = evaluate(doc(sgs, clusters), tmp_path)
    assert statuses(found, "CKV_ACK_14") == [("fail", "acc-a"), ("pass", "c3"), ("unknown", "acc-e")]


def test_ckv_ack_14_hidden_sg_on_same_node(tmp_path):
    sgs = [sg("sg-a", [rule("acc")])]
    clusters = [cluster("c", security_group="sg-a", node_pools=[pool("p", ["sg-a", "sg-existing"])])]
    found = evaluate(doc(sgs, clusters), tmp_path)
    assert statuses(found, "CKV_ACK_14") == [("unknown", "sg-a")]


# -- CKV_ACK_15 ------------------------------------------------------------------------------


def test_ckv_ack_15_mixed_types(tmp_path):
    sgs = [
        sg("sg-basic", []),
        sg("sg-adv", [], sg_type="enterprise"),
        sg("sg-adv2", [], sg_type="enterprise"),
    ]
    clusters = [
        cluster("mixed", security_group="sg-basic", node_pools=[pool("p-mixed", ["sg-basic", "sg-adv"])]),
        cluster("clean", security_group="sg-adv2", node_pools=[pool("p-clean", ["sg-adv", "sg-adv2"])]),
        cluster("acked-adv", is_enterprise_security_group=True, node_pools=[pool("p-acked", ["sg-adv"])]),
        cluster("unknown", security_group="sg-adv", node_pools=[pool("p-ref", ["sg-adv", "sg-ref"])]),
    ]
    found = evaluate(doc(sgs, clusters), tmp_path)
    assert statuses(found, "CKV_ACK_15") == [
        ("fail", "mixed"),
        ("fail", "p-mixed"),
        ("pass", "acked-adv"),
        ("pass", "clean"),
        ("pass", "p-acked"),
        ("pass", "p-clean"),
        ("unknown", "p-ref"),
        ("unknown", "unknown"),
    ]


def test_every_structural_rule_reports_on_a_clean_cluster(tmp_path):
    sgs = [
        sg(
            "sg-1",
            [
                rule("r1"),
                rule("r2", direction="egress", protocol="all", port_range="-1/-1", cidr_ip="0.0.0.0/0"),
            ],
        )
    ]
    found = evaluate(doc(sgs, [cluster(security_group="sg-1", pod_cidr="172.20.0.0/16")]), tmp_path)
    assert {f["rule_id"] for f in found} == MINE
    assert {f["status"] for f in found} == {"pass"}
    for f in found:
        assert f["guide"].startswith("https://") and f["title"] and f["severity"]


# -- seeded documents: both engines and the unit split agree --------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_generated_documents_agree(seed, tmp_path):
    from docgen import generate

    document = generate(seed)
    found = evaluate(document, tmp_path)
    keys = {sg["key"] for sg in document["security_groups"]}
    keys |= {r["key"] for sg in document["security_groups"] for r in sg["rules"]}
    keys |= {c["key"] for c in document["clusters"]}
    keys |= {p["key"] for c in document["clusters"] for p in c["node_pools"]}
    for f in found:
        assert f["status"] in ("pass", "fail", "unknown")
        assert f["resource_key"] in keys
        assert f["message"]
        if f["status"] == "fail":
            assert set(f["remediation"]) == {"terraform", "ros", "cli"}
        else:
            assert f["remediation"] is None


# -- the structural rules beside the rest of the policy set ---------------------------------

_DEF = re.compile(r"^(_[A-Za-z0-9_]+)(\(|\s|$)", re.MULTILINE)
_PKG = re.compile(r"^package\s+(\S+)", re.MULTILINE)


def test_private_functions_do_not_share_names_with_other_packages():
    """regopy 1.5.2 mis-resolved a private function of CKV_ACK_9 (`_flagged(c, r)`) against a
    same-named one of another package (`_flagged(cluster)`): "Unable to unify due to cycle", and
    the bundle built from it aborted the process. So private names that are functions in one of
    the structural packages are defined in no other package."""
    defs: dict[str, set[tuple[str, bool]]] = {}
    for path in POLICIES.rglob("*.rego"):
        if path.name.endswith("_test.rego"):
            continue
        text = path.read_text()
        package = _PKG.search(text)
        assert package, path
        for match in _DEF.finditer(text):
            defs.setdefault(match.group(1), set()).add((package.group(1), match.group(2) == "("))
    mine = {"ack.lib.structure"} | {f"ack.rules.ckv_ack_{n}" for n in range(9, 16)}
    clashes = {
        name: sorted(found)
        for name, found in defs.items()
        if len({p for p, _ in found}) > 1 and any(p in mine and is_function for p, is_function in found)
    }
    assert clashes == {}


def test_whole_policy_set_compiles_under_regopy():
    interp = regopy.Interpreter()
    interp.strict_built_in_errors = True
    for path in sorted(POLICIES.rglob("*.rego")):
        if not path.name.endswith("_test.rego"):
            interp.add_module(str(path.relative_to(POLICIES)), path.read_text())
    for path in sorted(POLICIES.rglob("data.json")):
        data = json.loads(path.read_text())
        for part in reversed(path.parent.relative_to(POLICIES).parts):
            data = {part: data}
        interp.add_data(data)
    interp.set_input_term(json.dumps(doc([sg("sg-1", [rule("r")])], [cluster(security_group="sg-1")])))
    out = str(interp.query(f"x := {QUERY}"))
    assert "<error>" not in out, out


def _shadowing_document(seed: int) -> dict:
    """Small random SG sets dense in drops, ties, sub-ranges, unknowns and shared/hidden SGs, so
    that CKV_ACK_9/14/15 take every branch (the general generator rarely makes dead rules)."""
    import random

    rng = random.Random(seed)
    cidrs = ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "172.20.0.0/16", "172.20.1.0/24", "::/0"]
    ports = ["-1/-1", "1/65535", "1/1024", "22/22", "80/80", "443/443"]
    protocols = ["tcp", "tcp", "udp", "all", "icmp"]

    def maybe(value, p=0.08):
        return UNKNOWN if rng.random() < p else value

    sgs = []
    for k in range(4):
        rules = []
        for i in range(rng.randrange(2, 7)):
            protocol = rng.choice(protocols)
            port_range = "-1/-1" if protocol in ("all", "icmp") else rng.choice(ports)
            peer = {"cidr_ip": maybe(rng.choice(cidrs))} if rng.random() < 0.8 else {"peer_sg_id": "sg-0"}
            if peer.get("cidr_ip") == "::/0":
                peer = {"ipv6_cidr_ip": "::/0"}
            rules.append(
                rule(
                    f"sg-{k}/r{i}",
                    direction=maybe(rng.choice(["ingress", "egress"]), 0.04),
                    protocol=protocol,
                    port_range=maybe(port_range),
                    policy=maybe(rng.choice(["accept", "accept", "drop"]), 0.04),
                    priority=maybe(rng.choice([1, 1, 5, 10, 50]), 0.04),
                    **peer,
                )
            )
        sgs.append(sg(f"sg-{k}", rules, sg_type=rng.choice(["normal", "normal", "enterprise"])))
    pools = [
        pool(f"p{j}", rng.sample(["sg-0", "sg-1", "sg-2", "sg-3", "sg-hidden"], rng.randrange(1, 4)))
        for j in range(rng.randrange(0, 3))
    ]
    clusters = [
        cluster(
            "c",
            security_group=rng.choice(["sg-0", "sg-1"]),
            pod_cidr=rng.choice(["172.20.0.0/16", None]),
            network_plugin=rng.choice(["terway", "flannel", None]),
            node_pools=pools,
        )
    ]
    return doc(sgs, clusters if rng.random() < 0.8 else [])


@pytest.mark.parametrize("seed", range(10))
def test_shadowing_documents_agree(seed, tmp_path):
    found = evaluate(_shadowing_document(seed), tmp_path)
    assert {f["rule_id"] for f in found} >= {"CKV_ACK_13", "CKV_ACK_14"}
