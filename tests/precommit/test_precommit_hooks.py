"""The hooks of .pre-commit-hooks.yaml installed and run by the real pre-commit (nothing mocked).

Slow: the first test builds the hook environment (pip install of checkov-ack and its dependencies,
from the session wheelhouse, see conftest.py); the other tests reuse it. `try-repo` always builds its
own environment, so it is one test, not one per case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from precommit_support import UserRepo, hooks_config

from helpers import FIXTURES, ROOT

pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "terraform" / "basic-flannel"
SCENARIO = FIXTURES / "scenarios" / "basic-flannel"
KUBELET_OPEN = FIXTURES / "rules" / "CKV_ACK_5" / "positive-kubelet-open"
HOOK_IDS = ("checkov-ack-terraform", "checkov-ack-ros", "checkov-ack-plan", "checkov-ack")

# A rule appended to the guide-conforming example: the three ways a commit goes wrong.
KUBELET_RULE = """
resource "alicloud_security_group_rule" "kubelet_in" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "10250/10250"
  cidr_ip           = "0.0.0.0/0"
  security_group_id = alicloud_security_group.cluster.id
}
"""
REVERSED_RULE = KUBELET_RULE.replace("kubelet_in", "reversed").replace("10250/10250", "8090/8080").replace(
    "0.0.0.0/0", "192.168.0.0/16")
# Beyond the recommended profile (MEDIUM, CKV_ACK_8) and nothing else.
APP_RULE = KUBELET_RULE.replace("kubelet_in", "app_in").replace("10250/10250", "8443/8443")

# Files every repository has that are none of our inputs: they must neither fail nor error.
NOT_OURS = {
    "deploy/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                       "  containers:\n    - name: web\n      image: nginx:1.27\n",
    "deploy/values.yml": "replicaCount: 2\nResources: {}\n",
    ".gitlab-ci.yml": "test:\n  script:\n    - make test\n",
    "package.json": '{\n  "name": "web",\n  "version": "1.0.0",\n  "scripts": {"test": "jest"}\n}\n',
    "tsconfig.json": '{"compilerOptions": {"strict": true}}\n',
}


def module(extra_rule: str = "", folder: str = "infra") -> dict[str, str | Path]:
    main = (EXAMPLE / "main.tf").read_text(encoding="utf-8") + extra_rule
    return {
        f"{folder}/main.tf": main,
        f"{folder}/variables.tf": EXAMPLE / "variables.tf",
        f"{folder}/.checkov-ack.yaml": EXAMPLE / ".checkov-ack.yaml",
    }


def setup(repo: UserRepo, hook_repo: tuple[Path, str], files: dict[str, str | Path],
          hooks: list[dict[str, object]] | None = None) -> None:
    config = hooks_config(hook_repo[0], hook_repo[1], hooks or [{"id": h} for h in HOOK_IDS])
    repo.write({**files, ".pre-commit-config.yaml": config})
    repo.commit()


def hook_lines(output: str) -> dict[str, str]:
    """pre-commit's status line per hook name: 'Passed', 'Failed' or '(no files to check)Skipped'."""
    status: dict[str, str] = {}
    for line in output.splitlines():
        if line.startswith("checkov-ack (") and "..." in line:
            name, _, verdict = line.partition("...")
            status[name.strip()] = verdict.strip(".")
    return status


def assert_clean_failure(out_text: str) -> None:
    assert "Traceback" not in out_text, out_text


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert [h["id"] for h in hooks] == list(HOOK_IDS)
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["entry"].split()[0] == "checkov-ack-hook"
        assert hook["require_serial"] is True


def test_guide_conforming_repository_passes(user_repo: UserRepo, hook_repo: tuple[Path, str]) -> None:
    files: dict[str, str | Path] = {
        **module(),
        "ros/cluster.yaml": SCENARIO / "ros" / "template.yaml",
        "plans/plan.json": SCENARIO / "terraform_plan" / "plan.json",
        **NOT_OURS,
    }
    setup(user_repo, hook_repo, files)
    out = user_repo.run("run", "--all-files", "--verbose")
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    status = hook_lines(out.stdout)
    assert set(status) == {"checkov-ack (Terraform modules)", "checkov-ack (ROS templates)",
                           "checkov-ack (Terraform plan JSON)", "checkov-ack (all inputs)"}, text
    assert all(v == "Passed" for v in status.values()), status
    # --verbose shows each hook's output: the inputs were really scanned, not skipped.
    assert text.count("15 passed") >= 4, text


def test_exposed_terraform_fails(user_repo: UserRepo, hook_repo: tuple[Path, str]) -> None:
    setup(user_repo, hook_repo, {**module(KUBELET_RULE), **NOT_OURS},
          [{"id": "checkov-ack-terraform"}])
    out = user_repo.run("run", "--all-files")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "- exit code: 1" in out.stdout
    assert "CKV_ACK_5" in out.stdout and "alicloud_security_group_rule.kubelet_in" in out.stdout
    assert "infra/main.tf" in out.stdout
    assert_clean_failure(out.stdout + out.stderr)


def test_malformed_rule_fails(user_repo: UserRepo, hook_repo: tuple[Path, str]) -> None:
    setup(user_repo, hook_repo, module(REVERSED_RULE), [{"id": "checkov-ack-terraform"}])
    out = user_repo.run("run", "--all-files")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "CKV_ACK_13" in out.stdout and "alicloud_security_group_rule.reversed" in out.stdout


def test_broken_hcl_fails_with_file_and_line(user_repo: UserRepo, hook_repo: tuple[Path, str]) -> None:
    files = module()
    files["infra/broken.tf"] = 'resource "alicloud_security_group_rule" "x" {\n  type = "ingress"\n'
    setup(user_repo, hook_repo, files, [{"id": "checkov-ack-terraform"}])
    out = user_repo.run("run", "--all-files")
    assert out.returncode == 1, out.stdout + out.stderr  # pre-commit reports any non-zero exit as 1
    assert "- exit code: 2" in out.stdout
    assert "infra/broken.tf" in out.stdout
    assert_clean_failure(out.stdout + out.stderr)


def test_fail_on_threshold_from_args(user_repo: UserRepo, hook_repo: tuple[Path, str]) -> None:
    hooks: list[dict[str, object]] = [
        {"id": "checkov-ack-terraform", "alias": "default-threshold"},
        {"id": "checkov-ack-terraform", "alias": "high", "args": ["--fail-on", "HIGH"]},
    ]
    setup(user_repo, hook_repo, module(APP_RULE), hooks)
    default = user_repo.run("run", "default-threshold", "--all-files")
    assert default.returncode == 1 and "CKV_ACK_8" in default.stdout, default.stdout
    high = user_repo.run("run", "high", "--all-files", "--verbose")
    assert high.returncode == 0, high.stdout + high.stderr
    assert "fail on HIGH" in high.stdout and "1 failed (1 MEDIUM)" in high.stdout


def test_exposed_ros_and_plan_fail(user_repo: UserRepo, hook_repo: tuple[Path, str]) -> None:
    files: dict[str, str | Path] = {
        "ros/cluster.yaml": KUBELET_OPEN / "ros" / "template.yaml",
        "plans/plan.json": KUBELET_OPEN / "terraform_plan" / "plan.json",
        **NOT_OURS,
    }
    setup(user_repo, hook_repo, files, [{"id": "checkov-ack-ros"}, {"id": "checkov-ack-plan"}])
    ros = user_repo.run("run", "checkov-ack-ros", "--all-files")
    assert ros.returncode == 1 and "CKV_ACK_5" in ros.stdout and "ros/cluster.yaml" in ros.stdout, ros.stdout
    assert "plans/plan.json" not in ros.stdout  # the plan is the plan hook's
    plan = user_repo.run("run", "checkov-ack-plan", "--all-files")
    assert plan.returncode == 1, plan.stdout
    assert "CKV_ACK_5" in plan.stdout and "plans/plan.json" in plan.stdout


def test_only_other_yaml_and_json_changed(user_repo: UserRepo, hook_repo: tuple[Path, str]) -> None:
    """A commit of Kubernetes manifests, CI files and package.json: the data-file hooks run (their
    `files` match) and pass quietly; the Terraform hook has nothing to check."""
    setup(user_repo, hook_repo, {**module(KUBELET_RULE), **NOT_OURS})
    out = user_repo.run("run", "--files", *NOT_OURS)
    assert out.returncode == 0, out.stdout + out.stderr
    status = hook_lines(out.stdout)
    assert status["checkov-ack (ROS templates)"] == "Passed", status
    assert status["checkov-ack (Terraform modules)"].endswith("Skipped"), status


def test_changed_child_module_is_scanned_through_its_caller(
        user_repo: UserRepo, hook_repo: tuple[Path, str]) -> None:
    child = """
variable "sg_id" {}

resource "alicloud_security_group_rule" "kubelet_in" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "10250/10250"
  cidr_ip           = "0.0.0.0/0"
  security_group_id = var.sg_id
}
"""
    caller = """
module "extra_rules" {
  source = "../modules/rules"
  sg_id  = alicloud_security_group.cluster.id
}
"""
    files = {**module(caller), "modules/rules/main.tf": child}
    setup(user_repo, hook_repo, files, [{"id": "checkov-ack-terraform"}])
    out = user_repo.run("run", "--files", "modules/rules/main.tf")
    assert out.returncode == 1, out.stdout + out.stderr
    # Only the caller knows the SG: the finding carries the module address of the call.
    assert "CKV_ACK_5" in out.stdout
    assert "module.extra_rules.alicloud_security_group_rule.kubelet_in" in out.stdout


def test_try_repo_against_this_repository(tmp_path: Path, hook_repo: tuple[Path, str],
                                          precommit_env: dict[str, str]) -> None:
    """`pre-commit try-repo` (the documented way to try hooks before adding them), all hooks."""
    repo = UserRepo(tmp_path / "try", precommit_env)
    repo.path.mkdir()
    repo.write({**module(KUBELET_RULE, "bad"), **module("", "good"), **NOT_OURS})
    repo.commit()
    out = repo.run("try-repo", str(hook_repo[0]), "--ref", hook_repo[1], "--all-files")
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    status = hook_lines(out.stdout)
    assert status["checkov-ack (Terraform modules)"] == "Failed", status
    assert status["checkov-ack (ROS templates)"] == "Passed", status  # only non-ROS YAML/JSON here
    assert "bad/main.tf" in out.stdout and "CKV_ACK_5" in out.stdout
    assert_clean_failure(text)
    used = yaml.safe_load(out.stdout.split("=" * 79)[2])  # try-repo prints the config it made
    assert [h["id"] for h in used["repos"][0]["hooks"]] == sorted(HOOK_IDS)
