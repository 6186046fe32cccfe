"""The public API other pieces reuse: normalize_paths, scan_paths, config_for, ScanResult."""

from __future__ import annotations

import shutil
from pathlib import Path

from checkov_ack.adapters.common import AdapterOptions
from checkov_ack.config import config_for
from checkov_ack.model.schema import schema_errors
from checkov_ack.scan import normalize_paths, scan_paths
from checkov_ack.suppressions import load_waivers
from helpers import FIXTURES, ROOT

EXAMPLE = ROOT / "examples" / "terraform" / "basic-flannel"


def test_normalize_paths_gives_a_valid_document_and_the_load_result(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "m")
    (tmp_path / "m" / "notes.txt").write_text("x")
    document, load = normalize_paths(
        [tmp_path / "m"], config_for([tmp_path / "m"]).settings, AdapterOptions()
    )
    assert schema_errors(document) == []
    assert [i["kind"] for i in document["inputs"]] == ["terraform_hcl"]
    assert load.errors == []
    assert str(tmp_path / "m" / "notes.txt") in load.skipped
    assert not any(s.endswith(".checkov-ack.yaml") for s in load.skipped)


def test_scan_paths_like_the_cli(tmp_path: Path) -> None:
    module = tmp_path / "module"
    shutil.copytree(FIXTURES / "reports" / "module", module)  # exposed kubelet, a skip, broken/
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "- {rule: CKV_ACK_5, resource: alicloud_security_group_rule.kubelet_open,"
        " reason: r, expires: 2999-01-01}\n"
    )
    config = config_for([module])
    result = scan_paths([module], config.settings, waivers=load_waivers(waivers))
    assert [e.line for e in result.errors] == [2]
    assert result.exit_code() == 2 and result.exit_code(soft_fail=True) == 2
    suppressed = {
        (r.finding["rule_id"], r.finding["resource"], r.suppression.kind)
        for r in result.suppressed
        if r.suppression
    }
    assert ("CKV_ACK_5", "alicloud_security_group_rule.kubelet_open", "waiver") in suppressed
    assert ("CKV_ACK_5", "alicloud_security_group_rule.readonly_kubelet_open", "inline") in suppressed
    assert result.failures("CRITICAL") == []  # both CRITICALs are suppressed
    assert result.failures("MEDIUM")  # CKV_ACK_8 still fails on the open kubelet ports
    shutil.rmtree(module / "broken")
    clean = scan_paths([module], config.settings, waivers=load_waivers(waivers))
    assert clean.errors == [] and clean.exit_code("HIGH") == 0 and clean.exit_code("LOW") == 1
