"""Pins of the Checkov internals the checks rely on (named in checkov_ack/checkov_bridge.py). Each
test fails loudly when a Checkov upgrade changes what we read; fix the bridge, then the pin.

Plus the bridge's own pieces that need no policy engine: entity paths, locating the scanned file,
units, and findings -> verdicts."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck as CfnCheck
from checkov.common.bridgecrew.platform_integration import bc_integration
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.common.output.record import Record
from checkov.common.output.report import Report
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck as TfCheck

from checkov_ack import checkov_bridge as cb
from checkov_ack.suppressions import Result, Suppression


class _TfProbe(TfCheck):
    seen: list[tuple[str, str]] = []

    def __init__(self) -> None:
        super().__init__("probe", "CKV_ACKTEST_TF", [CheckCategories.NETWORKING], ["alicloud_pin_probe"])

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.seen.append((self.entity_path, self.entity_type))
        return CheckResult.PASSED


class _CfnProbe(CfnCheck):
    seen: list[tuple[str, str]] = []

    def __init__(self) -> None:
        super().__init__("probe", "CKV_ACKTEST_CFN", [CheckCategories.NETWORKING], ["ALIYUN::Pin::Probe"])

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.seen.append((self.entity_path, self.entity_type))
        return CheckResult.PASSED


@pytest.mark.parametrize(
    ("probe", "entity_type", "name"),
    [(_TfProbe, "alicloud_security_group", "cluster"), (_CfnProbe, "ALIYUN::ECS::SecurityGroup", "Sg")],
)
def test_run_sets_entity_path_and_type_before_the_check_runs(probe: Any, entity_type: str, name: str) -> None:
    # Pin: BaseCheck.run() sets entity_path = f"{scanned_file}:{entity_type}:{entity_name}", and the
    # resource base classes set entity_type, before scan_resource_conf: the only way a check learns
    # which file it is looking at.
    check = probe()
    result = check.run("/envs/prod/main.tf", {"__address__": "x"}, name, entity_type, {})
    assert result["result"] == CheckResult.PASSED
    assert check.seen[-1] == (f"/envs/prod/main.tf:{entity_type}:{name}", entity_type)
    assert cb.split_entity_path(*check.seen[-1]) == ("/envs/prod/main.tf", name)


def test_bc_integration_holds_the_scanned_roots() -> None:
    # Pin: checkov's main sets bc_integration.scan_dir (-d) and scan_file (-f), both lists; the
    # subprocess tests show they are filled during a run.
    assert isinstance(bc_integration.scan_dir, list)
    assert isinstance(bc_integration.scan_file, list)
    assert "bc_integration.scan_dir = self.config.directory" in inspect.getsource(
        __import__("checkov.main", fromlist=["Checkov"]).Checkov.run
    )


def test_report_drops_unknown_results() -> None:
    # Pin: Report.add_record keeps only PASSED/FAILED/SKIPPED; UNKNOWN never reaches any output.
    # docs/checkov.md and `checkov_unknown: fail` exist because of this.
    report = Report("terraform")
    for result in (CheckResult.UNKNOWN, CheckResult.FAILED):
        report.add_record(Record("CKV_ACK_1", "n", {"result": result}, [], "/main.tf", [1, 2], "r", None,
                                 "c", "/abs/main.tf", details=["why"]))
    records = report.get_all_records()
    assert [r.check_result["result"] for r in records] == [CheckResult.FAILED]
    assert records[0].details == ["why"]  # Pin: details travel on the record (printed, in -o json)


def test_our_verdict_names_are_checkovs() -> None:
    for name in (cb.FAILED, cb.PASSED, cb.SKIPPED, cb.UNKNOWN):
        assert CheckResult(name).value == name


# --- the bridge without the engine --------------------------------------------------------------


def test_split_entity_path_keeps_colons_in_the_file() -> None:
    sg = "ALIYUN::ECS::SecurityGroup"
    assert cb.split_entity_path(f"/a:b/t.yaml:{sg}:Sg", sg) == ("/a:b/t.yaml", "Sg")
    with pytest.raises(cb.CheckovAckError, match="unexpected Checkov entity path"):
        cb.split_entity_path("nonsense", "alicloud_vpc")


def test_locate_relative_to_the_scanned_directories(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    target = tmp_path / "a" / "b" / "main.tf"
    target.write_text("")
    other = tmp_path / "other"
    other.mkdir()
    assert cb.locate("/b/main.tf", [str(other), str(tmp_path / "a")]) == (target, tmp_path / "a")
    assert cb.locate(str(target), [], [str(target)]) == (target, target.parent)
    with pytest.raises(cb.CheckovAckError, match="cannot find the file Checkov scanned: /nope.tf"):
        cb.locate("/nope.tf", [str(tmp_path)])


def test_units(tmp_path: Path) -> None:
    main = tmp_path / "env" / "main.tf"
    assert cb.unit_for(cb.TERRAFORM, main, tmp_path, "alicloud_vpc.v") == cb.Unit(
        "terraform_hcl", (main.parent,), tmp_path)
    # Only a caller gives a child module's address: the whole tree is read.
    assert cb.unit_for(cb.TERRAFORM, main, tmp_path, "module.m.alicloud_vpc.v") == cb.Unit(
        "terraform_hcl", (tmp_path,), tmp_path, tree=True)
    plan = tmp_path / "plan.json"
    assert cb.unit_for(cb.TERRAFORM, plan, tmp_path, "alicloud_vpc.v").kind == "terraform_plan"
    assert cb.unit_for(cb.ROS, tmp_path / "t.yaml", tmp_path, "Sg").kind == "ros"


def test_nearest_config_up_to_the_root(tmp_path: Path) -> None:
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    unit = cb.Unit("terraform_hcl", (inner,), tmp_path)
    assert cb.config_path(unit) is None
    (tmp_path.parent / ".checkov-ack.yaml").write_text("profile: recommended\n")  # above the root: ignored
    try:
        assert cb.config_path(unit) is None
        (tmp_path / ".checkov-ack.yaml").write_text("profile: recommended\n")
        assert cb.config_path(unit) == tmp_path / ".checkov-ack.yaml"
        (tmp_path / "a" / ".checkov-ack.yaml").write_text("profile: recommended\n")
        assert cb.config_path(unit) == tmp_path / "a" / ".checkov-ack.yaml"
    finally:
        (tmp_path.parent / ".checkov-ack.yaml").unlink()


def _r(status: str, suppressed: bool = False) -> Result:
    finding = {"rule_id": "CKV_ACK_5", "status": status, "message": f"m-{status}", "resource": "r",
               "file": "/x.tf", "line": 3}
    return Result(finding, Suppression("waiver", "ok", "w.yaml:2", "2099-01-01") if suppressed else None)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["pass", "fail", "unknown"], cb.FAILED),
        (["pass", "unknown"], cb.UNKNOWN),
        (["pass", "pass"], cb.PASSED),
        ([], cb.UNKNOWN),
    ],
)
def test_decide(statuses: list[str], expected: str) -> None:
    verdict = cb.decide([_r(s) for s in statuses], [], unknown_as_fail=False)
    assert verdict.result == expected
    if statuses:
        assert any("m-" in d and "/x.tf:3" in d for d in verdict.details)


def test_decide_unknown_as_fail_and_waivers_and_errors() -> None:
    assert cb.decide([_r("unknown")], [], unknown_as_fail=True).result == cb.FAILED
    waived = cb.decide([_r("fail", suppressed=True), _r("pass")], [], unknown_as_fail=False)
    assert waived.result == cb.SKIPPED and "waiver w.yaml:2" in waived.details[0]
    broken = cb.decide([_r("pass")], ["checkov-ack input error: /x.tf:9: bad"], unknown_as_fail=False)
    assert broken.result == cb.FAILED and broken.details[0].endswith("bad")  # never PASSED
    assert cb.decide([], ["err"], unknown_as_fail=False).result == cb.FAILED


def test_verdict_never_raises() -> None:
    verdict = cb.verdict("CKV_ACK_5", cb.TERRAFORM, "garbage", "alicloud_vpc", {})
    assert verdict.result == cb.FAILED and "unexpected Checkov entity path" in verdict.details[0]
