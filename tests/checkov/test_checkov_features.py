"""Checkov's own features with our checks, through real `checkov` subprocesses: --check,
--skip-check, inline skips (HCL and ROS YAML), severities, -o json/sarif/junitxml, the guideline
link, details, settings from .checkov-ack.yaml, checkov_unknown, input errors, child modules, and
one scanner evaluation per unit (not one per check)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from checkov_run import ACK_IDS, FRAMEWORKS, CheckovRun, run_checkov  # noqa: I001

from checkov_ack.reporters.catalog import load_catalog
from helpers import FIXTURES

CASE = FIXTURES / "rules" / "CKV_ACK_5" / "positive-kubelet-open"
UNKNOWN_CASE = FIXTURES / "rules" / "CKV_ACK_12" / "positive-existing-sg-not-in-sources"
KUBELET_RULE = 'resource "alicloud_security_group_rule" "kubelet_open" {'
GUIDE = load_catalog().guide


def _hcl_with_skip() -> str:
    text = (CASE / "terraform_hcl" / "main.tf").read_text()
    assert KUBELET_RULE in text
    return text.replace(KUBELET_RULE, KUBELET_RULE + "\n  #checkov:skip=CKV_ACK_8:lab exposure, reviewed")


def _ros_with_skip() -> str:
    text = (CASE / "ros" / "template.yaml").read_text()
    head = "  RuleKubeletOpen:\n    Type: ALIYUN::ECS::SecurityGroupIngress\n"
    assert head in text
    return text.replace(head, head + "    #checkov:skip=CKV_ACK_5:kubelet behind a jump host\n")


def _module_tree(root: Path) -> None:
    """The kubelet rule moved into a local child module: Checkov reports it on the module's file
    with the caller's address."""
    text = (CASE / "terraform_hcl" / "main.tf").read_text()
    start = text.index(KUBELET_RULE)
    end = text.index("}\n", start) + 2
    rule = text[start:end].replace("alicloud_security_group.cluster.id", "var.sg_id")
    call = 'module "rules" {\n  source = "./rules"\n  sg_id  = alicloud_security_group.cluster.id\n}\n\n'
    caller = text[:start] + call + text[end:]
    (root / "rules").mkdir(parents=True)
    (root / "main.tf").write_text(caller)
    (root / "rules" / "main.tf").write_text('variable "sg_id" {}\n\n' + rule)


def _broken_plan() -> str:
    plan = json.loads((CASE / "terraform_plan" / "plan.json").read_text())
    # A typed field of the wrong type: our adapter rejects the file, Checkov reads it.
    rule = next(r for r in plan["planned_values"]["root_module"]["resources"]
                if r["type"] == "alicloud_security_group_rule")
    rule["values"]["ip_protocol"] = 6
    change = next(c for c in plan["resource_changes"] if c["address"] == rule["address"])
    change["change"]["after"]["ip_protocol"] = 6
    return json.dumps(plan, indent=2)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checkov-tree")
    (root / "open").mkdir()
    (root / "open" / "main.tf").write_text(_hcl_with_skip())
    shutil.copytree(UNKNOWN_CASE / "terraform_hcl", root / "unknown")
    _module_tree(root / "mod")
    (root / "ros").mkdir()
    (root / "ros" / "template.yaml").write_text(_ros_with_skip())
    shutil.copytree(CASE / "terraform_plan", root / "plan")
    (root / "broken").mkdir()
    (root / "broken" / "plan.json").write_text(_broken_plan())
    return root


@pytest.fixture(scope="module")
def full_run(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[CheckovRun, Path]:
    out = tmp_path_factory.mktemp("checkov-out")
    run = run_checkov(["-d", str(tree), "--framework", *FRAMEWORKS, "-o", "cli", "-o", "json", "-o", "sarif",
                       "-o", "junitxml", "--output-file-path", str(out)], tree, out)
    return run, out


def _records(run_or_data: Any) -> list[dict[str, Any]]:
    data = run_or_data
    reports = data if isinstance(data, list) else [data]
    return [rec for report in reports for key in ("passed_checks", "failed_checks", "skipped_checks")
            for rec in report["results"][key] if rec["check_id"].startswith("CKV_ACK_")]


def _json(out: Path) -> list[dict[str, Any]]:
    return _records(json.loads((out / "results_json.json").read_text()))


def _find(records: list[dict[str, Any]], check: str, file: str, resource: str) -> list[dict[str, Any]]:
    return [r for r in records
            if r["check_id"] == check and r["file_path"] == file and r["resource"].endswith(resource)]


@pytest.mark.slow
def test_json_verdicts_severities_guidelines_details_inline_skips(full_run: tuple[CheckovRun, Path]) -> None:
    run, out = full_run
    assert run.code == 1, run.stderr[-3000:]
    records = _json(out)
    (fail,) = _find(records, "CKV_ACK_5", "/open/main.tf", "alicloud_security_group_rule.kubelet_open")
    assert fail["check_result"]["result"] == "FAILED"
    assert fail["severity"] == "CRITICAL"
    assert fail["guideline"] == GUIDE
    assert fail["check_name"] == "Kubelet not exposed to the internet"
    assert any("10250" in d and "/open/main.tf:" in d for d in fail["details"]), fail["details"]
    # Inline skip in HCL: Checkov's own suppression, with its reason.
    (skipped,) = _find(records, "CKV_ACK_8", "/open/main.tf", "alicloud_security_group_rule.kubelet_open")
    assert skipped["check_result"]["result"] == "SKIPPED"
    assert skipped["check_result"]["suppress_comment"] == "lab exposure, reviewed"
    # Inline skip in ROS YAML; the unskipped rule on the same resource still fails.
    (ros_skip,) = _find(records, "CKV_ACK_5", "/ros/template.yaml", "RuleKubeletOpen")
    assert ros_skip["check_result"]["result"] == "SKIPPED"
    assert ros_skip["check_result"]["suppress_comment"] == "kubelet behind a jump host"
    (ros_fail,) = _find(records, "CKV_ACK_8", "/ros/template.yaml", "RuleKubeletOpen")
    assert ros_fail["check_result"]["result"] == "FAILED" and ros_fail["severity"] == "MEDIUM"
    (plan_fail,) = _find(records, "CKV_ACK_5", "/plan/plan.json", "alicloud_security_group_rule.kubelet_open")
    assert plan_fail["check_result"]["result"] == "FAILED"
    # Recommended profile (no settings file): all protocols from the pod CIDR is permitted.
    pods = _find(records, "CKV_ACK_8", "/open/main.tf", "alicloud_security_group_rule.all_from_pods")
    assert not [r for r in pods if r["check_result"]["result"] == "FAILED"]
    # Passing verdicts show too: the cluster's required flows hold.
    (cluster,) = _find(records, "CKV_ACK_1", "/open/main.tf", "alicloud_cs_managed_kubernetes.k8s")
    assert cluster["check_result"]["result"] == "PASSED" and cluster["severity"] == "HIGH"


@pytest.mark.slow
def test_unknown_is_invisible_in_checkov(full_run: tuple[CheckovRun, Path]) -> None:
    records = _json(full_run[1])
    assert _find(records, "CKV_ACK_12", "/unknown/main.tf", "alicloud_cs_managed_kubernetes.k8s") == []
    assert _find(records, "CKV_ACK_12", "/open/main.tf", "alicloud_cs_managed_kubernetes.k8s")


@pytest.mark.slow
def test_child_module_resources_get_the_callers_address(full_run: tuple[CheckovRun, Path]) -> None:
    records = _json(full_run[1])
    (fail,) = _find(records, "CKV_ACK_5", "/mod/rules/main.tf",
                    "module.rules.alicloud_security_group_rule.kubelet_open")
    assert fail["check_result"]["result"] == "FAILED"
    (cluster,) = _find(records, "CKV_ACK_1", "/mod/main.tf", "alicloud_cs_managed_kubernetes.k8s")
    assert cluster["check_result"]["result"] == "PASSED"


@pytest.mark.slow
def test_input_errors_are_failures_with_the_message(full_run: tuple[CheckovRun, Path]) -> None:
    run, out = full_run
    broken = [r for r in _json(out) if r["file_path"] == "/broken/plan.json"]
    assert broken, "Checkov read the plan our adapter rejects"
    assert {r["check_result"]["result"] for r in broken} == {"FAILED"}
    assert all(any("checkov-ack input error" in d and "plan.json" in d for d in r["details"]) for r in broken)
    assert "checkov-ack input error" in run.stderr


@pytest.mark.slow
def test_one_evaluation_per_unit(full_run: tuple[CheckovRun, Path], tree: Path) -> None:
    run, out = full_run
    units = sorted(line.split("\t", 1)[1] for line in run.evaluations)
    real = tree.resolve()
    assert units == sorted([
        f"ros\t{real}/ros/template.yaml",
        f"terraform_hcl\t{real}",  # the tree, for the child module's resources
        f"terraform_hcl\t{real}/mod",
        f"terraform_hcl\t{real}/open",
        f"terraform_hcl\t{real}/unknown",
        f"terraform_plan\t{real}/broken/plan.json",
        f"terraform_plan\t{real}/plan/plan.json",
    ])
    assert len(_json(out)) > 10 * len(units)  # many verdicts per evaluation


@pytest.mark.slow
def test_sarif_and_junit_carry_our_checks(full_run: tuple[CheckovRun, Path]) -> None:
    out = full_run[1]
    sarif = json.loads((out / "results_sarif.sarif").read_text())
    (checkov_run,) = sarif["runs"]
    rules = {r["id"]: r for r in checkov_run["tool"]["driver"]["rules"]}
    assert rules["CKV_ACK_5"]["helpUri"] == GUIDE
    assert any(r["ruleId"] == "CKV_ACK_5" and "open/main.tf" in json.dumps(r["locations"])
               for r in checkov_run["results"])
    junit = ET.parse(out / "results_junitxml.xml").getroot()
    failures = [case for case in junit.iter("testcase")
                if "CKV_ACK_5" in (case.get("name") or "") and case.find("failure") is not None]
    assert failures
    assert "CKV_ACK_5" in full_run[0].stdout  # -o cli


def _single_unit_tree(tmp_path: Path) -> Path:
    root = tmp_path / "single"
    shutil.copytree(CASE / "terraform_hcl", root)
    return root


@pytest.mark.slow
def test_check_and_skip_check_select_our_ids(tmp_path: Path) -> None:
    root = _single_unit_tree(tmp_path)
    only = run_checkov(["-d", str(root), "--framework", "terraform", "--check", "CKV_ACK_5", "-o", "json"],
                       root, tmp_path)
    assert {r["check_id"] for r in _records(json.loads(only.stdout))} == {"CKV_ACK_5"}, only.stderr[-2000:]
    (tmp_path / "evaluations.log").unlink(missing_ok=True)
    skip = run_checkov(["-d", str(root), "--framework", "terraform", "--skip-check", "CKV_ACK_8",
                        "-o", "json"], root, tmp_path)
    ids = {r["check_id"] for r in _records(json.loads(skip.stdout))}
    assert "CKV_ACK_8" not in ids and {"CKV_ACK_5", "CKV_ACK_1"} <= ids, skip.stderr[-2000:]


@pytest.mark.slow
def test_settings_come_from_the_scanned_roots_config(tmp_path: Path) -> None:
    root = tmp_path / "settings"
    shutil.copytree(CASE / "terraform_hcl", root / "open")
    shutil.copytree(UNKNOWN_CASE / "terraform_hcl", root / "unknown")
    (root / ".checkov-ack.yaml").write_text(
        "profile: least-privilege\n"
        "exposures:\n  - ingress:tcp:10250:0.0.0.0/0\n"
        "checkov_unknown: fail\n"
    )
    run = run_checkov(["-d", str(root), "--framework", "terraform", "--check", ACK_IDS, "-o", "json"],
                      root, tmp_path)
    records = _records(json.loads(run.stdout))
    # The declared exposure permits the kubelet rule: no CKV_ACK_8 finding on it (as in the scanner);
    # CKV_ACK_5 still fails on it.
    assert _find(records, "CKV_ACK_8", "/open/main.tf", "alicloud_security_group_rule.kubelet_open") == []
    (kubelet,) = _find(records, "CKV_ACK_5", "/open/main.tf", "alicloud_security_group_rule.kubelet_open")
    assert kubelet["check_result"]["result"] == "FAILED"
    # least-privilege does not permit "all protocols from the pod CIDR" (recommended does).
    (pods,) = _find(records, "CKV_ACK_8", "/open/main.tf", "alicloud_security_group_rule.all_from_pods")
    assert pods["check_result"]["result"] == "FAILED", pods["details"]
    # checkov_unknown: fail makes the unknown visible, with the reason.
    (unknown,) = _find(records, "CKV_ACK_12", "/unknown/main.tf", "alicloud_cs_managed_kubernetes.k8s")
    assert unknown["check_result"]["result"] == "FAILED"
    assert unknown["details"] and unknown["details"][0].startswith("unknown: ")


@pytest.mark.slow
def test_a_bad_config_fails_every_check_with_its_message(tmp_path: Path) -> None:
    root = _single_unit_tree(tmp_path)
    (root / ".checkov-ack.yaml").write_text("profile: paranoid\n")
    run = run_checkov(["-d", str(root), "--framework", "terraform", "--check", "CKV_ACK_1", "-o", "json"],
                      root, tmp_path)
    records = _records(json.loads(run.stdout))
    assert records and {r["check_result"]["result"] for r in records} == {"FAILED"}
    assert all(".checkov-ack.yaml:1" in r["details"][0] for r in records), records[0]["details"]
    assert "Traceback" not in run.stderr
