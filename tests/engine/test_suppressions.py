"""Suppressions: inline skips by entity (an SG's skip covers its rules), waivers with resource
globs and expiry, and the config file that points at them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checkov_ack.config import find_config, load_config
from checkov_ack.errors import UsageError
from checkov_ack.model.assemble import assemble
from checkov_ack.model.document import (
    ClusterInput,
    Json,
    NodePoolInput,
    RuleInput,
    SecurityGroupInput,
    make_cluster,
    make_rule,
    make_security_group,
)
from checkov_ack.model.settings import Settings
from checkov_ack.suppressions import Waiver, apply_suppressions, load_waivers

TODAY = dt.date(2026, 6, 1)


def _skip(rule_id: str, line: int) -> Json:
    return {"rule_id": rule_id, "reason": f"because {rule_id}", "line": line}


def _document() -> Json:
    rules = [
        make_rule(
            RuleInput(
                key=f"sg1/r{i}",
                address=f"alicloud_security_group_rule.r{i}",
                file="main.tf",
                line=20 + i,
                direction="ingress",
                protocol="tcp",
                port_range="22/22",
                cidr_ip="0.0.0.0/0",
                skips=[_skip("CKV_ACK_8", 21)] if i == 1 else [],
            )
        )
        for i in range(2)
    ]
    sg = make_security_group(
        SecurityGroupInput(
            key="sg1",
            address="alicloud_security_group.sg1",
            file="main.tf",
            line=10,
            skips=[_skip("CKV_ACK_5", 11)],
        ),
        rules,
    )
    pool = NodePoolInput(
        key="pool1",
        address="alicloud_cs_kubernetes_node_pool.p",
        file="main.tf",
        line=40,
        security_groups=["sg1"],
        skips=[_skip("CKV_ACK_15", 41)],
    )
    cluster = make_cluster(
        ClusterInput(
            key="c1",
            address="alicloud_cs_managed_kubernetes.k",
            file="main.tf",
            line=30,
            security_group="sg1",
            node_pools=[pool],
            skips=[_skip("CKV_ACK_16", 31)],
        )
    )
    part = {
        "inputs": [{"file": "main.tf", "kind": "terraform_hcl"}],
        "clusters": [cluster],
        "security_groups": [sg],
    }
    return assemble([part], Settings())


def _finding(rule_id: str, key: str, address: str, status: str = "fail") -> Json:
    return {
        "rule_id": rule_id,
        "status": status,
        "severity": "HIGH",
        "title": "t",
        "message": "m",
        "resource": address,
        "resource_key": key,
        "file": "main.tf",
        "line": 1,
        "remediation": None,
        "guide": "https://example.invalid",
    }


def _suppressed(findings: list[Json], waivers: list[Waiver] | None = None) -> list[str | None]:
    results, _ = apply_suppressions(findings, _document(), waivers or [], TODAY)
    return [r.suppression.source if r.suppression else None for r in results]


def test_inline_skips_by_entity_and_rule() -> None:
    findings = [
        _finding("CKV_ACK_5", "sg1/r0", "alicloud_security_group_rule.r0"),  # SG's skip covers its rules
        _finding("CKV_ACK_5", "sg1", "alicloud_security_group.sg1"),
        _finding("CKV_ACK_8", "sg1/r1", "alicloud_security_group_rule.r1"),  # the rule's own skip
        _finding("CKV_ACK_8", "sg1/r0", "alicloud_security_group_rule.r0"),  # not skipped on r0
        _finding("CKV_ACK_16", "c1", "alicloud_cs_managed_kubernetes.k"),
        _finding("CKV_ACK_15", "pool1", "alicloud_cs_kubernetes_node_pool.p"),
        _finding(
            "CKV_ACK_15", "c1", "alicloud_cs_managed_kubernetes.k"
        ),  # the pool's skip is not the cluster's
        _finding(
            "CKV_ACK_5", "sg1/r0", "alicloud_security_group_rule.r0", status="pass"
        ),  # passes stay passes
    ]
    assert _suppressed(findings) == [
        "main.tf:11",
        "main.tf:11",
        "main.tf:21",
        None,
        "main.tf:31",
        "main.tf:41",
        None,
        None,
    ]


def _waiver(rule: str, resource: str, expires: dt.date) -> Waiver:
    return Waiver(rule, resource, "reason", expires, "waivers.yaml", 3)


def test_waiver_globs_and_expiry_day() -> None:
    findings = [
        _finding("CKV_ACK_8", "sg1/r0", "alicloud_security_group_rule.r0"),
        _finding("CKV_ACK_9", "sg1/r0", "alicloud_security_group_rule.r0"),
    ]
    assert _suppressed(findings, [_waiver("CKV_ACK_8", "alicloud_security_group_rule.*", TODAY)]) == [
        "waivers.yaml:3",
        None,
    ]
    assert _suppressed(findings, [_waiver("CKV_ACK_*", "*.r0", TODAY)]) == [
        "waivers.yaml:3",
        "waivers.yaml:3",
    ]
    assert _suppressed(findings, [_waiver("CKV_ACK_8", "*.r9", TODAY)]) == [None, None]


def test_expired_waiver_warns_and_stops_suppressing() -> None:
    findings = [_finding("CKV_ACK_8", "sg1/r0", "alicloud_security_group_rule.r0")]
    yesterday = TODAY - dt.timedelta(days=1)
    results, warnings = apply_suppressions(
        findings, _document(), [_waiver("CKV_ACK_8", "*", yesterday)], TODAY
    )
    assert not results[0].suppressed
    assert warnings == [
        "waivers.yaml:3: waiver for CKV_ACK_8 on * expired on 2026-05-31; it no longer suppresses "
        "(1 finding(s) it matches are reported)"
    ]


def test_inline_skip_wins_over_a_waiver() -> None:
    findings = [_finding("CKV_ACK_8", "sg1/r1", "alicloud_security_group_rule.r1")]
    results, _ = apply_suppressions(findings, _document(), [_waiver("CKV_ACK_8", "*", TODAY)], TODAY)
    assert results[0].suppression is not None and results[0].suppression.kind == "inline"


def test_waiver_file_formats(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(
        "waivers:\n  - rule: CKV_ACK_1\n    resource: '*'\n    reason: r\n    expires: '2030-01-02'\n"
    )
    assert load_waivers(path) == [Waiver("CKV_ACK_1", "*", "r", dt.date(2030, 1, 2), str(path), 2)]
    path.write_text("")
    assert load_waivers(path) == []
    path.write_text("- rule: CKV_ACK_1\n  resource: '*'\n  reason: r\n  expires: 2030-01-02\n  owner: me\n")
    with pytest.raises(UsageError, match=r"w.yaml:1: unknown waiver key\(s\) owner"):
        load_waivers(path)


def test_config_file_found_in_the_first_root_and_paths_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    config = tmp_path / "infra" / ".checkov-ack.yaml"
    config.write_text(
        "profile: least-privilege\nwaivers: waivers.yaml\noverrides:\n  network_plugin: terway\n"
    )
    assert find_config([tmp_path / "infra", tmp_path]) == config
    assert find_config([tmp_path / "infra" / "main.tf"]) == config
    assert find_config([tmp_path]) is None
    loaded = load_config(config)
    assert loaded.settings.profile == "least-privilege"
    assert loaded.settings.overrides.network_plugin == "terway"
    assert loaded.waivers == (tmp_path / "infra" / "waivers.yaml").resolve()
