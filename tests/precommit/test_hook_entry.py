"""`checkov-ack-hook` on its own (no pre-commit): which inputs it picks, exit codes, what it imports.

Run as a subprocess from a throwaway repository root, as pre-commit runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checkov_ack.hooks import module_roots, select_inputs
from helpers import ROOT

EXAMPLE = ROOT / "examples" / "terraform" / "basic-flannel"
KUBELET_RULE = """
resource "alicloud_security_group_rule" "kubelet_in" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "10250/10250"
  cidr_ip           = "0.0.0.0/0"
  security_group_id = alicloud_security_group.cluster.id
}
"""
POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"
PACKAGE = '{"name": "web", "version": "1.0.0"}\n'


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def example(folder: str, extra: str = "") -> dict[str, str]:
    return {
        f"{folder}/main.tf": (EXAMPLE / "main.tf").read_text(encoding="utf-8") + extra,
        f"{folder}/variables.tf": (EXAMPLE / "variables.tf").read_text(encoding="utf-8"),
        f"{folder}/.checkov-ack.yaml": (EXAMPLE / ".checkov-ack.yaml").read_text(encoding="utf-8"),
    }


def json_documents(text: str) -> list[dict[str, object]]:
    """The JSON reports printed one after the other (one per settings file)."""
    decoder = json.JSONDecoder()
    found, pos = [], 0
    while pos < len(text.rstrip()):
        value, end = decoder.raw_decode(text, pos)
        found.append(value)
        pos = end
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return found


def hook(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "checkov_ack.hooks", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=300)


def test_tf_files_map_to_their_module_folders_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {**example("a"), **example("b"), "b/nested/other.tf": "", "c/x.yaml": POD})
    monkeypatch.chdir(tmp_path)
    picked = select_inputs(["a/main.tf", "a/variables.tf", "b/main.tf", "c/x.yaml"], {"terraform", "ros"})
    # Every .tf file of each changed folder, each folder once, and not the subfolder's module.
    assert picked == [Path("a/main.tf"), Path("a/variables.tf"), Path("b/main.tf"), Path("b/variables.tf")]


def test_called_module_is_replaced_by_its_callers(tmp_path: Path) -> None:
    write(tmp_path, {
        "live/prod/main.tf": 'module "net" {\n  source = "../../modules/net"\n}\n',
        "live/dev/main.tf": 'module "net" {\n  source = "./../../modules/net/"\n}\n',
        "modules/net/main.tf": 'module "sg" {\n  source = "../sg"\n}\n',
        "modules/sg/main.tf": "",
        "standalone/main.tf": 'module "remote" {\n  source = "terraform-alicloud-modules/vpc/alicloud"\n}\n',
        ".terraform/modules/x/main.tf": 'module "sg" {\n  source = "../../../modules/sg"\n}\n',
    })
    roots = module_roots([Path("modules/sg"), Path("standalone")], tmp_path)
    assert sorted(roots) == [Path("live/dev"), Path("live/prod"), Path("standalone")]


def test_non_ros_yaml_and_package_json_are_skipped_quietly(tmp_path: Path) -> None:
    write(tmp_path, {"k8s/pod.yaml": POD, "package.json": PACKAGE, ".gitlab-ci.yml": "a:\n  script: [x]\n"})
    out = hook(tmp_path, "k8s/pod.yaml", "package.json", ".gitlab-ci.yml")
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")


def test_unreadable_data_file_is_an_error_not_a_skip(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_bytes(b"ROSTemplateFormatVersion: \xff\xfe\n")
    out = hook(tmp_path, "--only", "ros", "template.yaml")
    assert out.returncode == 2, out.stdout + out.stderr
    assert "template.yaml" in out.stdout + out.stderr
    assert "Traceback" not in out.stderr


def test_exposed_module_fails_and_threshold_applies(tmp_path: Path) -> None:
    write(tmp_path, {**example("good"), **example("bad", KUBELET_RULE)})
    good = hook(tmp_path, "--only", "terraform", "good/main.tf")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = hook(tmp_path, "--only", "terraform", "--format", "json", "bad/main.tf")
    assert bad.returncode == 1, bad.stderr
    failed = {f["rule_id"] for f in json.loads(bad.stdout)["findings"] if f["status"] == "fail"}
    assert failed == {"CKV_ACK_5", "CKV_ACK_8"}
    # CKV_ACK_5 is CRITICAL: still failing at --fail-on CRITICAL; only ROS selected: nothing to scan.
    assert hook(tmp_path, "--fail-on", "CRITICAL", "bad/main.tf").returncode == 1
    assert hook(tmp_path, "--only", "ros", "bad/main.tf").returncode == 0


def test_each_settings_file_applies_to_its_own_folder(tmp_path: Path) -> None:
    # The example's config declares 80/443 as an exposure; without it the web rules fail CKV_ACK_8.
    files = example("with_config")
    files.update({k.replace("with_config", "without"): v for k, v in example("with_config").items()
                  if not k.endswith(".checkov-ack.yaml")})
    write(tmp_path, files)
    both = hook(tmp_path, "--format", "json", "with_config/main.tf", "without/main.tf")
    assert both.returncode == 1
    reports = json_documents(both.stdout)
    assert len(reports) == 2
    failing = [sorted({f["rule_id"] for f in r["findings"] if f["status"] == "fail"})  # type: ignore[attr-defined]
               for r in reports]
    assert sorted(failing) == [[], ["CKV_ACK_8"]]


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    write(tmp_path, example("m"))
    cases = (["--only", "helm", "m/main.tf"], ["--fail-on", "SEVERE", "m/main.tf"],
             ["m/main.tf", "--verbose"])
    for args in cases:
        out = hook(tmp_path, *args)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert "error" in out.stderr and "Traceback" not in out.stderr


def test_scan_path_does_not_import_checkov(tmp_path: Path) -> None:
    write(tmp_path, example("m", KUBELET_RULE))
    code = (
        "import sys, json\n"
        "from checkov_ack import hooks\n"
        "rc = hooks.main(['--format', 'json', '--output', 'r.json', 'm/main.tf'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('checkov', 'rustworkx', 'networkx', 'boto3', 'botocore', 'requests', 'dpath', 'igraph'))\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False, timeout=300)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"rc": 1, "heavy": []}, out.stderr
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["by_status"]["fail"] == 2


def test_importtime_of_the_hook_has_no_checkov(tmp_path: Path) -> None:
    write(tmp_path, example("m"))
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "checkov_ack.hooks", "m/main.tf"],
                         cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stdout + out.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}
    assert "checkov_ack.scan" in imported and "checkov_ack.adapters.terraform_hcl" in imported
    assert not {m for m in imported if m == "checkov" or m.startswith("checkov.")}


def test_changed_api_response_is_judged_with_its_folder(tmp_path: Path) -> None:
    exports = ROOT / "fixtures" / "rules" / "CKV_ACK_5" / "positive-kubelet-open" / "api_export"
    for source in exports.iterdir():
        write(tmp_path, {f"exports/{source.name}": source.read_text(encoding="utf-8")})
    write(tmp_path, {"exports/package.json": PACKAGE})
    changed = sorted(p.name for p in exports.iterdir() if p.name.startswith("sg-"))
    assert changed, "the fixture has no SG attribute response"
    out = hook(tmp_path, "--only", "api", "--format", "json", f"exports/{changed[0]}")
    assert out.returncode == 1, out.stdout + out.stderr
    report = json.loads(out.stdout)
    # The cluster comes from DescribeClusterDetail.json, the exposure from the changed SG response.
    assert any(f["rule_id"] == "CKV_ACK_5" and f["status"] == "fail" for f in report["findings"])
